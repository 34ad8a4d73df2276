"""Phone numbers, WeChat IDs and QQ numbers of an ad as plain strings for listing fields and linking keys.

Finding them (obfuscated forms included) is ``zhtext.contacts``, shared with PII masking and the risk
model; this module only lists each kind's values once, in order of appearance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhtext.contacts import PHONE_KINDS, Mention, distinct, find_contacts
from zhtext.contacts import find_phones as _find_phone_mentions


@dataclass(frozen=True)
class Contacts:
    """Contact details found in one ad."""

    phones: list[str] = field(default_factory=list)
    wechat_ids: list[str] = field(default_factory=list)
    qq_ids: list[str] = field(default_factory=list)


def _values(mentions: list[Mention], *kinds: str) -> list[str]:
    return distinct(m.value for m in mentions if m.kind in kinds)


def find_phones(text: str | None) -> list[str]:
    """Mobile, landline and 400/800 numbers as plain digits, deduplicated, in order of appearance."""
    return distinct(m.value for m in _find_phone_mentions(text))


def find_wechat_ids(text: str | None) -> list[str]:
    """WeChat IDs after a marker (微信, V信, vx, 加薇, 绿泡泡 ...); "微信同号" means the ad's phone number."""
    return _values(find_contacts(text), "wechat")


def find_qq_ids(text: str | None) -> list[str]:
    """QQ numbers (5-11 digits, obfuscated forms included) after QQ, 扣扣, 企鹅 or Q号."""
    return _values(find_contacts(text), "qq")


def extract_contacts(text: str | None) -> Contacts:
    """All phones, WeChat IDs and QQ numbers in an ad."""
    found = find_contacts(text)
    return Contacts(_values(found, *PHONE_KINDS), _values(found, "wechat"), _values(found, "qq"))
