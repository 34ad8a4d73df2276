"""Contacts and registration numbers of an ad, as stored on Listing (via crawlers.normalise)."""

from __future__ import annotations

from typing import Any


def contacts_in(text: str) -> dict[str, Any]:
    """Phones (obfuscated forms included), WeChat and QQ IDs named in TEXT; empty kinds left out."""
    from crawlers.normalise.contacts import extract_contacts

    found = extract_contacts(text)
    kinds = {"phones": found.phones, "wechat": found.wechat_ids, "qq": found.qq_ids}
    return {kind: sorted(set(values)) for kind, values in kinds.items() if values}


def credit_code_in(text: str, *, folded: bool = False) -> str | None:
    """The first unified social credit code in TEXT (folded already when FOLDED), or None."""
    from organisations.identifiers import find_credit_codes

    found = find_credit_codes(text, folded=folded)
    return found[0] if found else None


def licence_in(text: str, *, folded: bool = False) -> str | None:
    """The first human-resources service licence number in TEXT (folded already when FOLDED), or None."""
    from organisations.identifiers import find_hr_licences

    found = find_hr_licences(text, folded=folded)
    return found[0] if found else None
