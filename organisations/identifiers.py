"""Organisation identifiers in ads: unified social credit codes and HR-service / labour-dispatch licences.

Credit codes (统一社会信用代码, GB 32100-2015) are accepted only with a valid check character
(python-stdnum ``stdnum.cn.uscc``). Licence numbers come in two shapes: a number after the licence name
("人力资源服务许可证编号：320102201801") and the certificate style ("(苏)人服证字[2019]第0105000123号",
"苏人服证字〔2020〕第320500000012号"). Both are returned in one canonical spelling: no spaces, upper case,
the certificate style as 苏人服证字[2019]第0105000123号 whatever brackets the ad used.
"""

from __future__ import annotations

import re

from store.text import fold_text

_CREDIT_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{18}(?![0-9A-Za-z])")
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
_OPEN = r"[\[〔【(（［<《]"
_CLOSE = r"[\]〕】)）］>》]"
_CERTIFICATE = re.compile(
    rf"(?:{_OPEN}\s*([{_PROVINCES}])\s*{_CLOSE}|([{_PROVINCES}]))?\s*(人服|劳派|职介)证字\s*"
    rf"{_OPEN}\s*(\d{{4}})\s*{_CLOSE}\s*第?\s*([0-9A-Za-z]{{3,20}})\s*号?"
)
_LICENCE_NAME = r"(?:人力资源服务|劳务派遣(?:经营)?|职业介绍)许可证"
_NUMBERED = re.compile(
    rf"{_LICENCE_NAME}\s*[》>]?\s*(?:编号|号码|证号|号)?\s*[:：为是]?\s*([0-9A-Za-z][0-9A-Za-z\-]{{5,29}})(?![0-9A-Za-z])"
)
_CLAIM = re.compile(
    r"(?:人力资源服务|劳务派遣(?:经营)?|职业介绍|职业中介)(?:许可证?|资质|资格证)|人服证字|劳派证字|职介证字"
    r"|持证(?:中介|经营|机构)|正规(?:持证|有证)(?:中介|机构|公司)"
)


def find_credit_codes(text: str | None, *, folded: bool = False) -> list[str]:
    """Valid unified social credit codes in ``text`` (upper case, deduplicated, in order).

    ``folded``: TEXT is folded already (``store.text.fold_text``), so it is not folded again.
    """
    from stdnum.cn import uscc  # lazily: nothing heavy at import time

    text = (text or "") if folded else fold_text(text)
    found = [m.group().upper() for m in _CREDIT_CODE.finditer(text)]
    return list(dict.fromkeys(code for code in found if uscc.is_valid(code)))


def _canonical_certificate(match: re.Match[str]) -> str:
    province = match.group(1) or match.group(2) or ""
    kind, year, number = match.group(3), match.group(4), match.group(5).upper()
    return f"{province}{kind}证字[{year}]第{number}号"


def find_hr_licences(text: str | None, *, folded: bool = False) -> list[str]:
    """HR-service and labour-dispatch licence numbers in canonical form, deduplicated, in order.

    ``folded``: TEXT is folded already (``store.text.fold_text``), so it is not folded again.
    """
    text = (text or "") if folded else fold_text(text)
    found: list[tuple[int, str]] = []
    certificate_spans: list[tuple[int, int]] = []
    # Both patterns need a literal word; most ads have neither, and a scan for a word is far cheaper
    # than trying the patterns' optional prefixes at every character.
    certificates = _CERTIFICATE.finditer(text) if "证字" in text else ()
    for match in certificates:
        found.append((match.start(), _canonical_certificate(match)))
        certificate_spans.append(match.span())
    for match in _NUMBERED.finditer(text) if "许可证" in text else ():
        inside = any(start <= match.start(1) < end for start, end in certificate_spans)
        if not inside and sum(char.isdigit() for char in match.group(1)) >= 6:
            found.append((match.start(1), match.group(1).upper()))
    return list(dict.fromkeys(licence for _, licence in sorted(found)))


def claims_licence(text: str | None) -> bool:
    """True when an ad mentions an HR-service or labour-dispatch licence (or gives its number)."""
    folded = fold_text(text)
    return bool(_CLAIM.search(folded)) or bool(find_hr_licences(folded, folded=True))
