"""Group listings into organisations: union-find over shared keys, with constraints that keep strangers apart.

Keys are applied strongest first (credit code, licence, phone, WeChat, then name within one city). A union
is refused when the two groups would then hold two different credit codes (two legal entities), or two
different organisations that staff fixed by hand (a manual split stays split), or, for the weak name rule,
when both groups have phone numbers and share none (two firms that happen to share a brand).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from organisations.linking.keys import ALONE_CONFIDENCE, KEY_STRENGTH, ListingKeys


@dataclass
class _Group:
    """What one union-find root knows about its members."""

    credit_codes: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    pinned_org: int | None = None


@dataclass(frozen=True)
class Cluster:
    """Listings resolved to one actor, the organisation staff pinned them to (if any), and confidences."""

    listing_ids: tuple[int, ...]
    pinned_org: int | None
    confidence: Mapping[int, float]
    evidence: Mapping[str, int]  # key kind -> unions it made inside this cluster


@dataclass
class Resolution:
    """The clusters plus the unions refused, for the report."""

    clusters: list[Cluster]
    refused: dict[str, int]


class _UnionFind:
    def __init__(self, keys: Sequence[ListingKeys], pins: Mapping[int, int], name_guard: bool = True) -> None:
        self.name_guard = name_guard
        self.parent = {k.listing_id: k.listing_id for k in keys}
        self.groups = {
            k.listing_id: _Group(set(k.credit_codes), set(k.phones), pins.get(k.listing_id)) for k in keys
        }
        self.best = {k.listing_id: (1.0 if k.listing_id in pins else 0.0) for k in keys}
        self.unions: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.refused: dict[str, int] = defaultdict(int)

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def allowed(self, a: _Group, b: _Group, kind: str) -> str | None:
        """None when A and B may join, else why not."""
        if a.pinned_org and b.pinned_org and a.pinned_org != b.pinned_org:
            return "manual"
        if len(a.credit_codes | b.credit_codes) > 1:
            return "credit_conflict"
        if kind == "name" and self.name_guard and a.phones and b.phones and not a.phones & b.phones:
            return "name_phone_conflict"
        return None

    def union(self, x: int, y: int, kind: str) -> bool:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            self._note(x, y, kind)
            return True
        why = self.allowed(self.groups[rx], self.groups[ry], kind)
        if why:
            self.refused[why] += 1
            return False
        rx, ry = sorted((rx, ry))
        self.parent[ry] = rx
        ga, gb = self.groups[rx], self.groups.pop(ry)
        ga.credit_codes |= gb.credit_codes
        ga.phones |= gb.phones
        ga.pinned_org = ga.pinned_org or gb.pinned_org
        for k, n in self.unions.pop(ry, {}).items():
            self.unions[rx][k] += n
        self.unions[rx][kind] += 1
        self._note(x, y, kind)
        return True

    def _note(self, x: int, y: int, kind: str) -> None:
        strength = KEY_STRENGTH[kind]
        self.best[x] = max(self.best[x], strength)
        self.best[y] = max(self.best[y], strength)


def _key_groups(keys: Sequence[ListingKeys], use_names: bool) -> list[tuple[str, list[int]]]:
    """(kind, listing ids sharing one key value), strongest kind first, deterministic order."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k in keys:
        for kind, value in k.strong_keys():
            by_key[(kind, value)].append(k.listing_id)
        if use_names and k.name and k.city_code:
            by_key[("name", f"{k.city_code[:4]}|{k.name}")].append(k.listing_id)
    order = list(KEY_STRENGTH)
    ranked = sorted(by_key.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))
    return [(kind, sorted(ids)) for (kind, _value), ids in ranked if len(ids) > 1]


def _pin_groups(pins: Mapping[int, int], present: set[int]) -> list[tuple[str, list[int]]]:
    by_org: dict[int, list[int]] = defaultdict(list)
    for listing_id, org_id in sorted(pins.items()):
        if listing_id in present:
            by_org[org_id].append(listing_id)
    return [("manual", ids) for _org, ids in sorted(by_org.items()) if len(ids) > 1]


def resolve(
    keys: Sequence[ListingKeys],
    pins: Mapping[int, int] | None = None,
    *,
    use_names: bool = True,
    name_guard: bool = True,
) -> Resolution:
    """Cluster listings by their keys; PINS (listing id -> organisation id) are staff decisions.

    USE_NAMES and NAME_GUARD switch the name rule and its phone guard off, for measuring what they add.
    """
    pins = pins or {}
    uf = _UnionFind(keys, pins, name_guard)
    present = set(uf.parent)
    for kind, ids in _pin_groups(pins, present) + _key_groups(keys, use_names):
        for other in ids[1:]:
            uf.union(ids[0], other, kind)
    members: dict[int, list[int]] = defaultdict(list)
    for listing_id in sorted(present):
        members[uf.find(listing_id)].append(listing_id)
    clusters = [
        Cluster(
            listing_ids=tuple(ids),
            pinned_org=uf.groups[root].pinned_org,
            confidence={i: (uf.best[i] if uf.best[i] > 0 else ALONE_CONFIDENCE) for i in ids},
            evidence=dict(uf.unions.get(root, {})),
        )
        for root, ids in sorted(members.items())
    ]
    return Resolution(clusters=clusters, refused=dict(uf.refused))
