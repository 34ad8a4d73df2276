"""Contacts and registration numbers in ad text, through crawlers.normalise (with a plain fallback).

crawlers.normalise.contacts and .identifiers are built on another branch; until they are merged the
plain forms are read with store.pii and two regular expressions, so a crawl never loses the field.
"""

from __future__ import annotations

import re
from typing import Any

_CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_HR_LICENCE = re.compile(
    r"(?:人力资源服务许可证|许可证(?:编号|号)?)\s*[:：]?\s*([0-9A-Za-z\u4e00-\u9fff（）()\-]{6,40})"
)


def contacts_in(text: str) -> dict[str, Any]:
    """Phones, WeChat and QQ IDs named in TEXT (obfuscated forms when crawlers.normalise has them)."""
    try:
        from crawlers.normalise.contacts import extract_contacts  # type: ignore[import-not-found]
    except ImportError:
        return _plain_contacts(text)
    found = extract_contacts(text)
    if isinstance(found, dict):
        return {k: sorted(set(v)) for k, v in found.items() if v}
    return {
        kind: sorted(set(getattr(found, attr, ()) or ()))
        for kind, attr in (("phones", "phones"), ("wechat", "wechat_ids"), ("qq", "qq_ids"))
        if getattr(found, attr, None)
    }


def _plain_contacts(text: str) -> dict[str, Any]:
    from store.pii import find_pii

    out: dict[str, set[str]] = {}
    names = {"mobile": "phones", "landline": "phones", "wechat": "wechat", "qq": "qq"}
    for match in find_pii(text):
        if match.kind in names:
            value = re.sub(r"[^0-9A-Za-z_-]", "", match.value)
            value = value[-11:] if match.kind == "mobile" else value
            out.setdefault(names[match.kind], set()).add(value)
    return {kind: sorted(values) for kind, values in out.items()}


def credit_code_in(text: str) -> str | None:
    """The first unified social credit code in TEXT, or None."""
    try:
        from crawlers.normalise.identifiers import find_credit_codes  # type: ignore[import-not-found]
    except ImportError:
        match = _CREDIT_CODE.search(text)
        return match.group() if match else None
    found = find_credit_codes(text)
    return str(found[0]) if found else None


def licence_in(text: str) -> str | None:
    """The first human-resources service licence number in TEXT, or None."""
    try:
        from crawlers.normalise.identifiers import find_hr_licences  # type: ignore[import-not-found]
    except ImportError:
        match = _HR_LICENCE.search(text)
        return match.group(1) if match else None
    found = find_hr_licences(text)
    return str(found[0]) if found else None
