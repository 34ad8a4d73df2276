"""Raw fields from a page: CSS/XPath selectors, schema.org JobPosting (JSON-LD, microdata), embedded JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector as Page

from crawlers.config import EmbeddedJson, Extract
from crawlers.config import Selector as FieldSelector

RawItem = dict[str, str | None]
_BLOCK_START = re.compile(r"</?(?:p|div|br|li|tr|td|th|h[1-6]|section|dd|dt|table|ul|ol)\b", re.IGNORECASE)
_INVISIBLE = ["script", "style", "noscript", "template"]


def html_to_text(html: str) -> str:
    """Clean text from an HTML fragment; BeautifulSoup repairs broken markup, blocks become lines."""
    from bs4 import BeautifulSoup

    # Marking block boundaries in the markup costs far less than inserting nodes into the tree.
    soup = BeautifulSoup(_BLOCK_START.sub(r"\n\g<0>", html), "lxml")
    for tag in soup(_INVISIBLE):
        tag.decompose()
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)


def select(node: Page, spec: FieldSelector) -> str | None:
    """The text (or cleaned markup) SPEC selects under NODE; None when nothing matches."""
    found = node.css(spec.css) if spec.css is not None else node.xpath(spec.xpath or "")
    values = found.getall() if spec.all else found[:1].getall()
    if not values:
        return None
    if spec.html:
        return html_to_text("".join(values)) or None
    text = " ".join(" ".join(v.split()) for v in values).strip()
    return text or None


def extract_selectors(node: Page, fields: dict[str, FieldSelector]) -> RawItem:
    """Every configured field selected under NODE."""
    return {name: select(node, spec) for name, spec in fields.items()}


# schema.org JobPosting ---------------------------------------------------------------------------


def _walk_jsonld(data: Any) -> list[dict[str, Any]]:
    """JobPosting objects anywhere in a JSON-LD document (lists and @graph included)."""
    if isinstance(data, list):
        return [found for part in data for found in _walk_jsonld(part)]
    if not isinstance(data, dict):
        return []
    kind = data.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    found = [data] if "JobPosting" in kinds else []
    return found + _walk_jsonld(data.get("@graph", []))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@value")
    if isinstance(value, list):
        return " ".join(t for v in value if (t := _text(v))) or None
    text = " ".join(str(value).split())
    return text or None


def _salary(value: Any) -> str | None:
    """A salary string from MonetaryAmount: '4000-6000元/月'."""
    if not isinstance(value, dict):
        return _text(value)
    amount = value.get("value", value)
    unit = {"MONTH": "元/月", "DAY": "元/天", "HOUR": "元/小时", "YEAR": "元/年"}
    if isinstance(amount, dict):
        low, high = amount.get("minValue"), amount.get("maxValue")
        suffix = unit.get(str(amount.get("unitText", "")).upper(), "")
        if low is not None and high is not None:
            return f"{low}-{high}{suffix}"
        if low is not None:  # an open range: "from 5500 a month"
            return f"{low}{suffix}以上"
        number = _text(amount.get("value"))
        return f"{number}{suffix}" if number else None
    return _text(amount)


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    parts: list[str] = []
    for place in places:
        address = place.get("address", place) if isinstance(place, dict) else place
        if isinstance(address, dict):
            keys = ("addressRegion", "addressLocality", "streetAddress")
            parts.extend(str(address[k]) for k in keys if address.get(k))
        elif address:
            parts.append(str(address))
    return "".join(parts) or None


def _job_posting_fields(posting: dict[str, Any]) -> RawItem:
    description = posting.get("description")
    identifier = posting.get("identifier")
    return {
        "title": _text(posting.get("title")),
        "body": html_to_text(str(description)) if description else None,
        "employer": _text(posting.get("hiringOrganization")),
        "salary": _salary(posting.get("baseSalary")),
        "location": _location(posting.get("jobLocation")),
        "posted": _text(posting.get("datePosted")),
        "external_id": _text(identifier.get("value") if isinstance(identifier, dict) else identifier),
        "url": _text(posting.get("url")),
    }


def _microdata(page: Page) -> list[RawItem]:
    items: list[RawItem] = []
    for scope in page.css('[itemtype*="schema.org/JobPosting"]'):

        def prop(name: str, scope: Page = scope) -> str | None:
            node = scope.css(f'[itemprop="{name}"]')[:1]
            if not node:
                return None
            content = node.attrib.get("content")
            return content or html_to_text(node.get() or "") or None

        org = scope.css('[itemprop="hiringOrganization"] [itemprop="name"]')
        items.append(
            {
                "title": prop("title"),
                "body": prop("description"),
                "employer": (" ".join(org[0].css("::text").getall()).strip() if org else None)
                or prop("hiringOrganization"),
                "salary": prop("baseSalary"),
                "location": prop("jobLocation"),
                "posted": prop("datePosted"),
                "external_id": prop("identifier"),
            }
        )
    return items


def extract_schema_org(page: Page) -> list[RawItem]:
    """Every schema.org JobPosting on the page, from JSON-LD first, else microdata."""
    items: list[RawItem] = []
    for script in page.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script, strict=False)
        except json.JSONDecodeError:
            continue  # one broken block must not hide the others
        items.extend(_job_posting_fields(p) for p in _walk_jsonld(data))
    return items or _microdata(page)


# JSON embedded in a page ------------------------------------------------------------------------


def find_embedded_json(text: str, variable: str) -> Any:
    """The JSON value assigned to VARIABLE in TEXT (`window.__X__ = {...};`), or None."""
    pattern = re.compile(re.escape(variable) + r"\s*=\s*(?=[\[{])")
    decoder = json.JSONDecoder(strict=False)
    for match in pattern.finditer(text):
        try:
            value, _ = decoder.raw_decode(text, match.end())
        except json.JSONDecodeError:
            continue
        return value
    return None


def dig(value: Any, path: str) -> Any:
    """The value at a dotted PATH (`a.b.0.c`); None when any step is missing."""
    for step in path.split(".") if path else []:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def extract_embedded_json(text: str, spec: EmbeddedJson) -> list[RawItem]:
    """One raw item per element of the list at SPEC.path in the embedded JSON."""
    rows = dig(find_embedded_json(text, spec.variable), spec.path)
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        return []
    return [{name: _text(dig(row, path)) for name, path in spec.fields.items()} for row in rows]


def merge(base: RawItem, override: RawItem) -> RawItem:
    """BASE with every non-empty value of OVERRIDE on top."""
    return {**base, **{k: v for k, v in override.items() if v}}


def extract_items(page: Page, text: str, spec: Extract) -> list[RawItem]:
    """Raw items of one page (a detail page gives at most one, a list page many)."""
    if spec.mode == "embedded_json" and spec.embedded_json is not None:
        return extract_embedded_json(text, spec.embedded_json)
    if spec.mode == "schema_org":
        # selectors fill what the structured data leaves out (age, contacts); the structured data wins
        extra = extract_selectors(page, spec.fields) if spec.fields else {}
        return [merge(extra, item) for item in extract_schema_org(page)]
    if spec.on == "list" and spec.row is not None:
        nodes = page.css(spec.row.css) if spec.row.css else page.xpath(spec.row.xpath or "")
        return [extract_selectors(node, spec.fields) for node in nodes]
    return [extract_selectors(page, spec.fields)]
