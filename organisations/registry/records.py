"""What a registry row must hold, per kind: accepted column names, validation, the stored record.

Column names are matched case-insensitively against the aliases below, so the authorities' Chinese
headers, our English ones and ORFD's company fields (creditCode, regAddress ...) all import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from organisations.linking.keys import normalise_licence
from organisations.linking.names import normalise_name
from store.enums import RegistryKind
from store.text import fold_text

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "licence_no": ("licence_no", "license_no", "licenceno", "许可证编号", "许可证号", "证书编号", "登记编号", "registration_no"),
    "name": ("name", "companyname", "company_name", "机构名称", "单位名称", "企业名称", "名称"),
    "credit_code": ("credit_code", "creditcode", "统一社会信用代码", "信用代码"),
    "address": ("address", "regaddress", "reg_address", "地址", "住所", "注册地址", "机构地址"),
    "scope": ("scope", "businessscope", "business_scope", "服务范围", "许可范围", "经营范围"),
    "status": ("status", "operatingstatus", "operating_status", "状态", "经营状态", "登记状态"),
    "valid_from": ("valid_from", "estiblishdate", "establishdate", "发证日期", "有效期起", "登记日期", "成立日期"),
    "valid_to": ("valid_to", "有效期至", "有效期止", "截止日期", "营业期限至"),
    "region_code": ("region_code", "行政区划代码"),
    "reg_capital": ("regcapital", "reg_capital", "注册资本"),
    "org_number": ("orgnumber", "org_number", "组织机构代码"),
    "legal_representative": ("legal_representative", "legalperson", "法定代表人"),
}  # fmt: skip
# The key column of each kind: what makes a row one registration.
KEY_FIELD = {
    RegistryKind.hr_agency: "licence_no",
    RegistryKind.marriage_agency: "licence_no",
    RegistryKind.business: "credit_code",
}
DATA_FIELDS = ("reg_capital", "org_number", "legal_representative")
# Dates that mean "unknown" in real exports (ORFD writes 1800-12-31 for a missing founding date).
_PLACEHOLDER_YEARS = range(1, 1900)
_OPEN_ENDED = {"长期", "永久", "无固定期限", "-", "—", "/"}
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_CREDIT_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class RowError(ValueError):
    """Why a row is rejected: a stable code (for counting) and one sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ParsedRecord:
    """A valid row, ready to store."""

    key: str
    values: dict[str, Any]


def column_map(header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Our field -> the file's column, and the file's columns we do not use."""
    by_lower = {h.lower().replace(" ", ""): h for h in header if h}
    mapping: dict[str, str] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                mapping[field] = by_lower[alias]
                break
    used = set(mapping.values())
    return mapping, [h for h in header if h and h not in used]


def parse_date(value: str, column: str) -> date | None:
    """A date in the usual Chinese forms; None for empty, open-ended or placeholder values."""
    text = fold_text(value)
    if not text or text in _OPEN_ENDED:
        return None
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    match = compact or _DATE.match(text)
    if not match:
        raise RowError("bad_date", f"bad date in {column}: {value!r}")
    year, month, day = (int(g) for g in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise RowError("bad_date", f"bad date in {column}: {value!r}") from None
    return None if parsed.year in _PLACEHOLDER_YEARS else parsed


def check_credit_code(value: str) -> str | None:
    """The folded credit code, None when empty; RowError when malformed or its check character is wrong."""
    from stdnum.cn import uscc

    code = fold_text(value).upper().replace(" ", "")
    if not code:
        return None
    if not _CREDIT_SHAPE.match(code):
        raise RowError(
            "bad_credit_code",
            f"malformed credit code {value!r} (18 characters of the GB 32100 alphabet expected)",
        )
    if not uscc.is_valid(code):
        raise RowError("bad_credit_code", f"bad credit code check digit in {code}")
    return code


def _region_from_credit_code(code: str | None) -> str | None:
    from store.regions import get_region

    return code[2:8] if code and get_region(code[2:8]) else None


def _field(row: dict[str, str], mapping: dict[str, str], name: str) -> str:
    column = mapping.get(name)
    return fold_text(row.get(column, "")) if column else ""


def _key_of(kind: RegistryKind, licence: str | None, credit: str | None) -> str:
    if kind == RegistryKind.business:
        if not credit:
            raise RowError("missing_key", "missing key: credit code")
        return credit
    if licence:
        return licence
    # Marriage agencies are registered businesses: their credit code identifies them when no number is given.
    if kind == RegistryKind.marriage_agency and credit:
        return credit
    what = "licence number" if kind == RegistryKind.hr_agency else "registration number"
    raise RowError("missing_key", f"missing key: {what}")


def parse_row(kind: RegistryKind, row: dict[str, str], mapping: dict[str, str]) -> ParsedRecord:
    """Validate one row; RowError says why it is refused."""
    name = _field(row, mapping, "name")
    credit = check_credit_code(_field(row, mapping, "credit_code"))
    licence = normalise_licence(_field(row, mapping, "licence_no"))
    key = _key_of(kind, licence, credit)
    if not name:
        raise RowError("missing_name", "missing name")
    valid_from = parse_date(_field(row, mapping, "valid_from"), mapping.get("valid_from", "valid_from"))
    valid_to = parse_date(_field(row, mapping, "valid_to"), mapping.get("valid_to", "valid_to"))
    if valid_from and valid_to and valid_from > valid_to:
        raise RowError("dates_reversed", f"dates reversed: valid from {valid_from} after valid to {valid_to}")
    region = _field(row, mapping, "region_code")
    values = {
        "name": name[:200],
        "normalised_name": normalise_name(name)[:200],
        "credit_code": credit,
        "licence_no": _field(row, mapping, "licence_no")[:80] or None,
        "address": _field(row, mapping, "address")[:300] or None,
        "scope": _field(row, mapping, "scope") or None,
        "status": _field(row, mapping, "status")[:40] or None,
        "region_code": region[:6] if re.fullmatch(r"\d{6}", region) else _region_from_credit_code(credit),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "data": {f: _field(row, mapping, f) for f in DATA_FIELDS if _field(row, mapping, f)},
    }
    return ParsedRecord(key[:80], values)


def is_current(valid_to: date | None, status: str | None, today: date) -> bool:
    """True when a registration is in force on TODAY (not expired, not cancelled or revoked)."""
    if valid_to is not None and valid_to < today:
        return False
    return not (status and any(word in status for word in ("注销", "吊销", "撤销", "过期", "失效", "停业")))
