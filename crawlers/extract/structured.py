"""Fields from structured data: schema.org JobPosting (JSON-LD, microdata), embedded JSON, JSON feed posts."""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector as Page

from crawlers.config.schema import EmbeddedJson, JsonFeed
from crawlers.extract.html_text import FIELD_LIMIT, cut_text, html_to_text, markup_text
from crawlers.extract.raw_item import LIST_FIELDS, Cuts, RawItem

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


def _job_posting_fields(posting: dict[str, Any], cuts: Cuts | None = None) -> RawItem:
    description = posting.get("description")
    identifier = posting.get("identifier")
    return {
        "title": _text(posting.get("title")),
        "body": html_to_text(str(description), FIELD_LIMIT, cuts, "body") if description else None,
        "employer": _text(posting.get("hiringOrganization")),
        "salary": _salary(posting.get("baseSalary")),
        "location": _location(posting.get("jobLocation")),
        "posted": _text(posting.get("datePosted")),
        "external_id": _text(identifier.get("value") if isinstance(identifier, dict) else identifier),
        "url": _text(posting.get("url")),
    }


def _microdata(page: Page, cuts: Cuts | None = None) -> list[RawItem]:
    items: list[RawItem] = []
    for scope in page.css('[itemtype*="schema.org/JobPosting"]'):

        def prop(name: str, scope: Page = scope) -> str | None:
            node = scope.css(f'[itemprop="{name}"]')[:1]
            if not node:
                return None
            content = node.attrib.get("content")
            return cut_text(content, FIELD_LIMIT, name, cuts) if content else markup_text(node, cuts, name)

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


def extract_schema_org(page: Page, cuts: Cuts | None = None) -> list[RawItem]:
    """Every schema.org JobPosting on the page, from JSON-LD first, else microdata."""
    items: list[RawItem] = []
    for script in page.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script, strict=False)
        except json.JSONDecodeError:
            continue  # one broken block must not hide the others
        items.extend(_job_posting_fields(p, cuts) for p in _walk_jsonld(data))
    return items or _microdata(page, cuts)


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


# Posts in a JSON API answer (feeds) ------------------------------------------------------------------


def _post_value(value: Any) -> str | None:
    """One JSON value as raw text: markup (微博 text is HTML) cleaned to lines, numbers as digits."""
    if isinstance(value, str):
        text = html_to_text(value) if "<" in value and ">" in value else value.strip()
        return cut_text(text, FIELD_LIMIT, "", None) or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _text(value)


def _post_field(item: Any, name: str, path: str) -> str | None:
    from crawlers.jsonpath import find_all

    values = [t for v in find_all(item, path) if (t := _post_value(v))]
    if name in LIST_FIELDS:
        return "\n".join(" ".join(v.split()) for v in values) or None
    return values[0] if values else None


def json_feed_items(data: Any, spec: JsonFeed) -> list[RawItem]:
    """One raw item per post at SPEC.items in a JSON answer (a path ending at a list means its elements)."""
    from crawlers.jsonpath import find_all, parse_path

    found = find_all(data, spec.items)
    if not parse_path(spec.items).fans_out and len(found) == 1 and isinstance(found[0], list):
        found = found[0]
    posts = [post for post in found if isinstance(post, dict)]
    return [{name: _post_field(post, name, path) for name, path in spec.fields.items()} for post in posts]
