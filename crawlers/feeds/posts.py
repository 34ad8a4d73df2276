"""Social posts (feed sources) as listings: author, text, time, reposts and media captions.

A post has no title, employer or body of its own. Its text is the body (captions appended, so contacts
and ages in a video caption are found), its first line the title, and its author the organisation's
name when it names no company. The post's own fields are kept as written in the listing's `extra`
JSON under "post", with the time also read into ISO 8601.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from crawlers.extract.raw_item import RawItem

TITLE_CHARS = 80
CHINA = timezone(timedelta(hours=8))
_WEIBO_TIME = "%a %b %d %H:%M:%S %z %Y"  # Tue Jun 03 10:21:00 +0800 2025
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_COUNT = re.compile(r"^([\d.]+)\s*([万wW亿]?)\+?$")


def _lines(text: str | None) -> str:
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def post_time(text: str | None) -> datetime | None:
    """The time of a post: ISO 8601, 微博's 'Tue Jun 03 10:21:00 +0800 2025' or Unix seconds/ms.

    A time without a zone is China time (the sites are Chinese); None when it is none of these.
    """
    value = " ".join((text or "").split())
    if not value:
        return None
    found: datetime | None = None
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        found = datetime.fromtimestamp(seconds, UTC).astimezone(CHINA)
    else:
        for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, _WEIBO_TIME)):
            try:
                found = parse(value)
                break
            except ValueError:
                continue
    if found is None:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=CHINA)


def post_count(text: str | None) -> int | None:
    """A repost count: '12', '1.2万' (12,000), '3w'; None when it is not a count."""
    match = _COUNT.match(" ".join((text or "").split()))
    if match is None:
        return None
    try:
        number = float(match[1])
    except ValueError:
        return None
    scale = {"": 1, "万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}[match[2]]
    return round(number * scale)


def _title(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def post_raw(raw: RawItem) -> tuple[RawItem, dict[str, Any]]:
    """RAW as listing fields (title, body, employer, posted, contact) and the post's own fields."""
    text = _lines(raw.get("text"))
    captions = [line for line in _lines(raw.get("captions")).splitlines() if line]
    author = " ".join((raw.get("author") or "").split()) or None
    when = post_time(raw.get("time"))
    post: dict[str, Any] = {
        "author": author,
        "text": text,
        "time": when.isoformat() if when else None,
        "time_text": raw.get("time"),
        "reposts": post_count(raw.get("reposts")),
        "captions": captions,
    }
    body = "\n".join(t for t in (text, *captions) if t)
    listing: RawItem = {
        **raw,
        "title": raw.get("title") or _title(body),
        "body": body,
        "employer": raw.get("employer") or author,
        "posted": when.date().isoformat() if when else raw.get("posted"),
        # a broker's handle often carries the WeChat ID (苏州红娘-加V:hn5201314)
        "contact": "\n".join(t for t in (raw.get("contact"), author) if t) or None,
    }
    return listing, post
