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


def post_time(text: str | None, now: datetime | None = None) -> datetime | None:
    """The time of a post: ISO 8601, 微博's 'Tue Jun 03 10:21:00 +0800 2025' or Unix seconds/ms, and,
    given NOW (when the page was read), relative times ('3分钟前', '昨天 12:30': relative_time).

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
        return relative_time(value, now) if now is not None else None
    return found if found.tzinfo is not None else found.replace(tzinfo=CHINA)


_AGO = re.compile(
    r"^(\d+|[一二两三四五六七八九十]+|半)(?:个)?(秒钟?|分钟|分|小时|钟头|天|日|周|星期|礼拜|月|年)(?:以|之)?前$"
)
_UNIT = {"秒": 1, "秒钟": 1, "分": 60, "分钟": 60, "小时": 3600, "钟头": 3600, "天": 86400, "日": 86400}
_UNIT |= {"周": 7 * 86400, "星期": 7 * 86400, "礼拜": 7 * 86400, "月": 30 * 86400, "年": 365 * 86400}
_DAY_AT = re.compile(r"^(今天|今日|昨天|昨日|前天)?(?:(\d{1,2})[:：](\d{2}))?$")
_DAYS_BACK = {None: 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


def relative_time(text: str | None, now: datetime) -> datetime | None:
    """A relative post time as China time, counted back from NOW: '刚刚', '3分钟前', '半小时前', '两天前',
    '1周前', '今天', '昨天 12:30', '前天', or a bare '08:15' (today's, or yesterday's when later than NOW).

    Months count 30 days and years 365: the page says no more. None when TEXT is none of these.
    """
    from zhtext.fold import fold
    from zhtext.numerals import cn_to_int

    value = "".join(fold(text).split())
    now = now.astimezone(CHINA)
    if value in ("刚刚", "刚才"):
        return now
    if match := _AGO.match(value):
        amount = 0.5 if match[1] == "半" else float(match[1]) if match[1].isdigit() else cn_to_int(match[1])
        if amount is None:
            return None
        return now - timedelta(seconds=amount * _UNIT[match[2]])
    match = _DAY_AT.match(value)
    if match is None or not value:
        return None
    day = now - timedelta(days=_DAYS_BACK[match[1]])
    if match[2] is None:
        return day.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        at = day.replace(hour=int(match[2]), minute=int(match[3]), second=0, microsecond=0)
    except ValueError:
        return None
    if match[1] is None and at > now + timedelta(minutes=5):
        at -= timedelta(days=1)  # a bare clock time later than now was yesterday's
    return at


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


def post_raw(raw: RawItem, now: datetime | None = None) -> tuple[RawItem, dict[str, Any]]:
    """RAW as listing fields (title, body, employer, posted, contact) and the post's own fields.

    NOW (when the page was read) turns a relative time ('3分钟前') into a date and time.
    """
    text = _lines(raw.get("text"))
    captions = [line for line in _lines(raw.get("captions")).splitlines() if line]
    author = " ".join((raw.get("author") or "").split()) or None
    when = post_time(raw.get("time"), now)
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
