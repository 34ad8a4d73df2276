"""The identifying keys of one listing: credit code, licence, phones, WeChat IDs, name and city."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from organisations.identifiers import find_credit_codes, find_hr_licences
from organisations.linking.names import name_key
from store.text import fold_text

# Key kinds, strongest first, with the confidence that two listings sharing one are the same actor.
KEY_STRENGTH: dict[str, float] = {
    "manual": 1.0,
    "credit": 0.99,
    "licence": 0.97,
    "account": 0.95,  # one author handle on one platform (feed posts): one account, one actor
    "phone": 0.9,
    "wechat": 0.9,
    "name": 0.7,
}
ALONE_CONFIDENCE = 0.5  # a listing that shares no key: its organisation is only inferred from itself

# Hotlines shared by unrelated businesses (platforms, banks): never an organisation's own number.
_SHARED_PREFIXES = ("400", "800", "95", "96", "12")


@dataclass(frozen=True)
class ListingKeys:
    """Everything linking needs to know about one listing."""

    listing_id: int
    city_code: str | None
    credit_codes: frozenset[str] = field(default_factory=frozenset)
    licences: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    wechat_ids: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None
    accounts: frozenset[str] = field(default_factory=frozenset)

    def strong_keys(self) -> list[tuple[str, str]]:
        """(kind, value) pairs that link across cities, strongest first."""
        keys = [("credit", v) for v in sorted(self.credit_codes)]
        keys += [("licence", v) for v in sorted(self.licences)]
        keys += [("account", v) for v in sorted(self.accounts)]
        keys += [("phone", v) for v in sorted(self.phones)]
        keys += [("wechat", v) for v in sorted(self.wechat_ids)]
        return keys


def is_valid_credit_code(code: str | None) -> bool:
    """True for an 18-character unified social credit code with a correct check character."""
    from stdnum.cn import uscc  # lazily: keeps import time small

    return bool(code) and uscc.is_valid(str(code))


def normalise_credit_code(code: str | None) -> str | None:
    """Upper-case, folded credit code when valid, else None."""
    value = fold_text(code).upper().replace(" ", "")
    return value if is_valid_credit_code(value) else None


def normalise_licence(licence: str | None) -> str | None:
    """A licence number without brackets, spaces and 第/号: (苏)人服证字〔2015〕第0501号 -> 苏人服证字20150501."""
    value = re.sub(r"[\s()（）〔〕\[\]【】第号:：]", "", fold_text(licence))
    return value or None


def normalise_phone(phone: str | None) -> str | None:
    """Digits only, without +86 or a leading 0 trunk ambiguity; None for hotlines and short numbers."""
    digits = re.sub(r"\D", "", fold_text(phone))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 7 or digits.startswith(_SHARED_PREFIXES):
        return None
    return digits


def _texts_phones(texts: Iterable[str]) -> set[str]:
    """Phones in the text, obfuscated forms included (一三八…, ①③⑧, 1 3 8 …)."""
    from zhtext.contacts import find_phones

    return {p for t in texts for p in (normalise_phone(m.value) for m in find_phones(t)) if p}


def _texts_wechat(texts: Iterable[str]) -> set[str]:
    from zhtext.contacts import find_contacts

    return {m.value.lower() for t in texts for m in find_contacts(t) if m.kind == "wechat"}


def _contact_values(contacts: Mapping[str, Any], *names: str) -> list[str]:
    """Values under any of NAMES in a listing's contacts JSON (a string or a list of strings)."""
    values: list[str] = []
    for name in names:
        raw = contacts.get(name)
        if isinstance(raw, str):
            values.append(raw)
        elif isinstance(raw, list | tuple):
            values.extend(str(v) for v in raw if v)
    return values


def account_key(source_id: int | None, extra: Mapping[str, Any] | None) -> str | None:
    """A post author's handle on its platform (the source), folded: `3:苏州红娘小美`; None for ads."""
    post = (extra or {}).get("post")
    author = post.get("author") if isinstance(post, Mapping) else None
    if not isinstance(author, str) or not author.strip() or source_id is None:
        return None
    return f"{source_id}:{' '.join(fold_text(author).lower().split())}"


def keys_from_fields(
    listing_id: int,
    *,
    employer_name: str | None,
    city_code: str | None,
    credit_code: str | None = None,
    licence_no: str | None = None,
    contacts: Mapping[str, Any] | None = None,
    texts: Iterable[str] = (),
    account: str | None = None,
) -> ListingKeys:
    """Keys from a listing's fields, its contacts JSON (phones, wechat, qq) and its text.

    Phones and WeChat IDs are read from the text only when the contacts JSON has none: the crawler
    already extracted them with the same finder, and re-reading every body is most of linking's cost.
    """
    contacts = contacts or {}
    texts = [fold_text(t) for t in texts if t]
    credits = {normalise_credit_code(credit_code)} | {c for t in texts for c in find_credit_codes(t)}
    licences = {normalise_licence(licence_no)} | {
        normalise_licence(m) for t in texts for m in find_hr_licences(t)
    }
    phones = {normalise_phone(p) for p in _contact_values(contacts, "phones", "phone", "mobile", "landline")}
    wechat = {w.strip().lower() for w in _contact_values(contacts, "wechat", "wechat_ids", "wechat_id")}
    wechat |= {f"qq:{q.strip()}" for q in _contact_values(contacts, "qq", "qq_ids")}
    if not phones and not wechat:
        # The crawler found none (or the listing came another way): read the text, the slow part.
        phones |= _texts_phones(texts)
        wechat |= _texts_wechat(texts)
    return ListingKeys(
        listing_id=listing_id,
        city_code=city_code,
        credit_codes=frozenset(c for c in credits if c),
        licences=frozenset(v for v in licences if v),
        phones=frozenset(p for p in phones if p),
        wechat_ids=frozenset(w for w in wechat if w and not w.isdigit()),
        name=name_key(employer_name),
        accounts=frozenset([account] if account else []),
    )
