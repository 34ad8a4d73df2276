"""JSON feeds of social posts: read one answer, and find the next page by cursor or page number."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from w3lib.url import add_or_replace_parameter

from crawlers.config.schema import Extract, Links
from crawlers.extract.raw_item import RawItem
from crawlers.extract.structured import json_feed_items
from crawlers.jsonpath import find_one

_NO_CURSOR = (None, "", "0", 0, False, "-1", -1)


@dataclass
class FeedPage:
    """One JSON answer: the parsed data (None when malformed), its posts, and the parse error if any."""

    data: Any = None
    items: list[RawItem] = field(default_factory=list)
    error: str | None = None


def feed_page(text: str, extract: Extract) -> FeedPage:
    """The posts of one JSON answer; a malformed answer gives no posts and a one-line error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return FeedPage(error=f"{exc.msg} at line {exc.lineno}, column {exc.colno}")
    if extract.json_feed is None:
        return FeedPage(data)
    return FeedPage(data, json_feed_items(data, extract.json_feed))


def next_feed_url(url: str, page: FeedPage, links: Links, number: int) -> str | None:
    """The next page's URL, or None when the feed has ended.

    Cursor paging: the cursor at `links.cursor` goes back as `cursor_param`; a missing, empty or zero
    cursor, or the same cursor again, ends the feed. Page paging: `page_param` = NUMBER + 1 until a page
    has no posts (a malformed page does not end it: the next number is still known).
    """
    if links.cursor is not None:
        if page.data is None:
            return None  # a malformed page: its cursor is unknown
        cursor = find_one(page.data, links.cursor)
        if cursor in _NO_CURSOR or isinstance(cursor, dict | list):
            return None
        following = add_or_replace_parameter(url, links.cursor_param, str(cursor))
        return None if following == url else following
    if links.page_param is not None:
        if page.data is not None and not page.items:
            return None
        return add_or_replace_parameter(url, links.page_param, str(number + 1))
    return None
