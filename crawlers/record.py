"""Turn a raw item into a normalised, validated listing record with its content hash."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url

from crawlers.extract.raw_item import RawItem
from store.text import fold_join, fold_text, search_terms

# Fields that define "the content" of a listing: a change in any of them makes a new version.
HASHED_FIELDS = (
    "title",
    "body",
    "employer_name",
    "contacts",
    "salary_min",
    "salary_max",
    "salary_text",
    "age_min",
    "age_max",
    "location_text",
    "province_code",
    "city_code",
    "county_code",
    "licence_no",
    "credit_code",
    "posted_date",
)
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?$")


class InvalidItem(ValueError):
    """A raw item that cannot become a listing; the message is the stored reason."""


@dataclass(frozen=True)
class Context:
    """What the record builder knows beyond the item: the source and the page it came from."""

    kind: str
    region: str
    page_url: str
    required: tuple[str, ...] = ("title",)
    today: date | None = None
    now: datetime | None = None  # when the page was read (China time): for '02-26' and '3分钟前'
    posts: bool = False  # a feed source: every item is a social post (crawlers.feeds.posts)


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None


def as_written(text: str | None) -> str:
    """TEXT with its whitespace collapsed and nothing else changed: stored fields keep the characters.

    Folding (traditional -> simplified, full-width -> half-width) turned 苏州乾旺 into 苏州干旺 and
    misquoted evidence; it belongs to matching and search keys (store.text, organisations.linking) only.
    """
    return " ".join(text.split()) if text else ""


def _body(text: str | None) -> str:
    """The body as written, line breaks kept, blank lines and runs of spaces dropped."""
    if not text:
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def listing_key(raw: RawItem, url: str) -> str:
    """The natural key within a source: the site's own ID when it has one, else the canonical URL's path.

    A source is one site, so scheme, host and port are left out: a site that moves to https, another
    host name or (the demo web) another port keeps its listings and their version history.
    """
    external = fold_text(raw.get("external_id"))
    if external:
        return f"id:{external}"[:500]
    parts = urlsplit(canonicalize_url(url))
    return f"url:{parts.path or '/'}{'?' + parts.query if parts.query else ''}"[:500]


def parse_posted(text: str | None, today: date | None = None, now: datetime | None = None) -> date | None:
    """A posting date from '2021-02-26 17:11:47', '2025年6月3日', '02-26' (the last such day up to today)
    or, given NOW, a relative time ('3天前', '昨天', '刚刚': crawlers.feeds.posts.relative_time)."""
    folded = fold_text(text)
    today = now.date() if now is not None else today
    try:
        if match := _FULL_DATE.search(folded):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if (match := _SHORT_DATE.match(folded)) and today is not None:
            found = date(today.year, int(match[1]), int(match[2]))
            # A month-day later than today is last year's (a December ad read in January).
            return found if found <= today + timedelta(days=1) else found.replace(year=today.year - 1)
    except ValueError:
        return None
    if now is not None and folded:
        from crawlers.feeds.posts import relative_time

        when = relative_time(folded, now)
        return when.date() if when is not None else None
    return None


def _salary(text: str | None) -> tuple[int | None, int | None]:
    from crawlers.normalise.salary import parse_salary

    salary = parse_salary(text) if text else None
    if salary is None:
        return None, None
    low, high = salary.min_monthly, salary.max_monthly
    if low is not None and high is not None and low > high:
        raise InvalidItem(f"salary minimum {low} above maximum {high} in {text!r}")
    return low, high


def _age(text: str | None, body: str) -> tuple[int | None, int | None]:
    from crawlers.normalise.age import find_age_requirement, parse_age

    found = parse_age(text) if text else find_age_requirement(body)
    if found is None:
        return None, None
    for bound in (found.min, found.max):
        if bound is not None and not 0 <= bound <= 120:
            raise InvalidItem(f"age bound {bound} outside 0-120")
    return found.min, found.max


def _location(text: str | None, body: str, region: str) -> dict[str, str | None]:
    from crawlers.normalise.location import find_locations, parse_location
    from store.regions import city_of, province_of

    place = parse_location(text) if text else None
    if place is None or place.province is None:
        found = find_locations(body[:2000])
        place = found[0] if found else None
    if place is None or place.province is None:
        # Nothing named: the site's own city is the best guess for a local board.
        return {"province_code": province_of(region), "city_code": city_of(region), "county_code": None}
    return {"province_code": place.province, "city_code": place.city, "county_code": place.county}


def build_record(raw: RawItem, ctx: Context) -> dict[str, Any]:
    """The normalised listing fields for RAW; InvalidItem (with the reason) when it is not a listing."""
    from crawlers.normalise.listing_contacts import contacts_in, credit_code_in, licence_in

    missing = [name for name in ctx.required if not raw.get(name)]
    if missing:
        raise InvalidItem(f"missing required field(s): {', '.join(missing)}")
    if ctx.posts:
        from crawlers.feeds.posts import post_raw

        raw, post = post_raw(raw, ctx.now)
    title = as_written(raw.get("title"))
    if not title:
        raise InvalidItem("empty title")
    url = raw.get("url") or ctx.page_url
    if not url.startswith(("http://", "https://")):
        raise InvalidItem(f"not an http(s) URL: {url[:100]!r}")
    body = _body(raw.get("body"))
    employer = as_written(raw.get("employer")) or None
    contact_text = "\n".join(t for t in (raw.get("contact"), body) if t)
    # Folded once for both identifier finders; the body's fold is reused by the search terms below.
    identifiers = fold_join((raw.get("licence"), raw.get("credit_code"), body, raw.get("employer")))
    salary_min, salary_max = _salary(raw.get("salary"))
    age_min, age_max = _age(raw.get("age"), body)
    record: dict[str, Any] = {
        "key": listing_key(raw, url),
        "url_key": listing_key({}, url),  # the key if the site's id turns out to be shared (pipelines)
        "url": url[:2000],
        "kind": ctx.kind,
        "title": title[:500],
        "body": body,
        "employer_name": _clip(employer, 200),
        "contacts": contacts_in(contact_text),
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_text": _clip(as_written(raw.get("salary")), 200),
        "age_min": age_min,
        "age_max": age_max,
        "location_text": _clip(as_written(raw.get("location")), 300),
        **_location(raw.get("location"), body, ctx.region),
        "licence_no": _clip(licence_in(identifiers, folded=True), 80),
        "credit_code": credit_code_in(identifiers, folded=True),
        "posted_date": parse_posted(raw.get("posted"), ctx.today, ctx.now),
    }
    if ctx.posts:
        record["extra"] = {"post": post}
    record["content_hash"] = content_hash(record)
    # Search keys, not content: left out of the hash and the versions (storage writes them on the listing).
    record["search_bigrams"] = search_terms(record["title"], record["employer_name"], body)
    return record


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 over the normalised content fields (stable key order, dates as ISO text).

    A post's author, time, reposts and captions (`extra`) count too; a listing without `extra` hashes
    as it always did, so no existing listing gains a version from this rule.
    """
    payload = {name: record.get(name) for name in HASHED_FIELDS}
    if record.get("extra"):
        payload["extra"] = record["extra"]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
