"""weibo-feed (a 微博-style JSON timeline, cursor paging) and video-feed (a short-video feed, page paging).

Both serve their posts (crawlers.demo_web.feed_posts) as JSON, a small HTML page per post (the URL a
listing points to) and, on video-feed, an HTML feed of the same posts with a next-page link.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from crawlers.demo_web.feed_posts import Post, feed_posts

FEED_SITES = ("weibo-feed", "video-feed")
PER_PAGE = {"weibo-feed": 10, "video-feed": 8}
ROBOTS = {
    "weibo-feed": "User-agent: *\nDisallow: /u/\nDisallow: /admin/\n",
    "video-feed": "User-agent: *\nDisallow: /admin/\nDisallow: /passport/\n",
}
TIMELINE = "/api/statuses/home_timeline"
BROKEN = "/api/statuses/broken_timeline"  # a truncated answer, for the error-handling test
VIDEO_API = "/aweme/v1/feed/"
VIDEO_WEB = "/web/feed"
Rendered = tuple[int, str, str]  # status, content type, body
_JSON = "application/json; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_WEIBO_TIME = "%a %b %d %H:%M:%S %z %Y"


def post_path(site: str, post: Post) -> str:
    """The URL path of one post's own page (the listing's URL)."""
    return f"/status/{post.post_id}" if site == "weibo-feed" else f"/video/{post.post_id}"


def _weibo_status(post: Post) -> dict[str, Any]:
    lines = [escape(line) for line in post.text.split("\n")]
    return {
        "idstr": post.post_id,
        "mid": post.post_id,
        "created_at": post.time.strftime(_WEIBO_TIME),
        "text": "<br />".join(lines),
        "source": "iPhone客户端",
        "reposts_count": post.reposts,
        "comments_count": post.reposts // 3,
        "attitudes_count": post.reposts * 2 + 1,
        "user": {
            "id": 5_000_000_000 + sum(map(ord, post.author)),
            "screen_name": post.author,
            "verified": post.actor.company is not None,
            "verified_reason": post.actor.company or "",
        },
        "pics": [
            {"pid": f"{post.post_id[-8:]}p{i}", "url": f"/large/{post.post_id}_{i}.jpg", "caption": caption}
            for i, caption in enumerate(post.captions)
        ],
        "scheme": post_path("weibo-feed", post),
    }


def weibo_timeline(posts: tuple[Post, ...], max_id: str | None, count: int) -> str:
    """One page of the timeline: posts older than max_id; next_cursor 0 on the last page."""
    older = [p for p in posts if max_id is None or int(p.post_id) < int(max_id)]
    page = older[:count]
    more = len(older) > count
    data = {
        "statuses": [_weibo_status(p) for p in page],
        "next_cursor": page[-1].post_id if page and more else 0,
        "total_number": len(posts),
    }
    return json.dumps({"ok": 1, "data": data}, ensure_ascii=False)


def _video(post: Post) -> dict[str, Any]:
    return {
        "aweme_id": post.post_id,
        "desc": post.text,
        "create_time": int(post.time.timestamp()),
        "author": {
            "uid": str(7_000_000 + sum(map(ord, post.author))),
            "nickname": post.author,
            "enterprise_verify_reason": post.actor.company or "",
        },
        "statistics": {
            "share_count": post.reposts,
            "digg_count": post.reposts * 5 + 2,
            "comment_count": post.reposts // 4,
        },
        "video": {
            "duration": 15_000 + int(post.post_id[-3:]) * 10,
            "subtitles": [{"start_ms": 2000 * i, "text": c} for i, c in enumerate(post.captions)],
        },
        "share_url": post_path("video-feed", post),
    }


def video_feed(posts: tuple[Post, ...], page: int, per_page: int) -> str:
    """Page N of the video feed (from 1); a page past the end has an empty aweme_list."""
    chunk = posts[(page - 1) * per_page : page * per_page] if page >= 1 else ()
    has_more = page >= 1 and page * per_page < len(posts)
    doc = {
        "status_code": 0,
        "page": page,
        "has_more": int(has_more),
        "aweme_list": [_video(p) for p in chunk],
    }
    return json.dumps(doc, ensure_ascii=False)


def _html(title: str, inner: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><div class="top"><a href="/">首页</a> <a href="/passport/login">登录</a></div>{inner}</body></html>\n'
    )


def _post_block(site: str, post: Post) -> str:
    text = "<br>".join(escape(line) for line in post.text.split("\n"))
    captions = "".join(f"<li>{escape(c)}</li>" for c in post.captions)
    company = post.actor.company
    badge = f'<span class="verified" title="企业认证">{escape(company)}</span>' if company else ""
    return (
        f'<div class="post" data-id="{post.post_id}"><a class="author" href="/u/{escape(post.author)}">'
        f'{escape(post.author)}</a>{badge}<time datetime="{post.time.isoformat()}">{post.time:%m月%d日 %H:%M}</time>'
        f'<div class="text">{text}</div><ul class="captions">{captions}</ul>'
        f'<span class="shares">{post.reposts}</span> 转发'
        f'<a class="permalink" href="{post_path(site, post)}">详情</a></div>\n'
    )


def web_feed(site: str, posts: tuple[Post, ...], page: int, per_page: int) -> str:
    """An HTML feed of posts (div.post blocks) with an a.next link while there are more."""
    chunk = posts[(page - 1) * per_page : page * per_page] if page >= 1 else ()
    more = page * per_page < len(posts)
    nxt = f'<a class="next" href="{VIDEO_WEB}?page={page + 1}">下一页</a>' if more else ""
    return _html(
        f"推荐 第{page}页",
        '<div class="feed">' + "".join(_post_block(site, p) for p in chunk) + nxt + "</div>",
    )


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return int(query.get(name, [str(default)])[0])
    except ValueError:
        return default


def render(site: str, seed: int, target: str) -> Rendered:
    """The answer of a feed site to a GET of TARGET (path and query)."""
    parts = urlsplit(target)
    query = parse_qs(parts.query)
    posts = feed_posts(seed, site)
    per = PER_PAGE[site]
    if parts.path == "/robots.txt":
        return 200, "text/plain; charset=utf-8", ROBOTS[site]
    if parts.path == "/":
        entry = TIMELINE if site == "weibo-feed" else VIDEO_WEB
        return 200, _HTML, _html("首页", f'<a href="{entry}">最新</a>')
    if site == "weibo-feed" and parts.path == TIMELINE:
        return 200, _JSON, weibo_timeline(posts, query.get("max_id", [None])[0], _int(query, "count", per))
    if site == "weibo-feed" and parts.path == BROKEN:
        return 200, _JSON, weibo_timeline(posts, None, per)[:700]
    if site == "video-feed" and parts.path == VIDEO_API:
        return 200, _JSON, video_feed(posts, _int(query, "page", 1), per)
    if site == "video-feed" and parts.path == VIDEO_WEB:
        return 200, _HTML, web_feed(site, posts, _int(query, "page", 1), per)
    for post in posts:
        if parts.path == post_path(site, post):
            return 200, _HTML, _html(post.author, _post_block(site, post))
    return 404, _HTML, _html("404", "<h1>404 内容不存在或已删除</h1>")


def feed_truth(seed: int, site: str) -> dict[str, dict[str, Any]]:
    """Per post path, what a perfect reader extracts (the same shape of entry as the other sites')."""
    out = {}
    for post in feed_posts(seed, site):
        out[post_path(site, post)] = {
            "status": 200,
            "ad_id": post.post_id,
            "kind": "post",
            "category": post.actor.category,
            "author": post.author,
            "employer": post.employer,
            "org_key": post.actor.org_key,
            "text": post.text,
            "time": post.time.isoformat(),
            "reposts": post.reposts,
            "captions": list(post.captions),
            "phones": list(post.phones),
            "wechat_ids": list(post.wechat_ids),
            "slow": False,
        }
    return dict(sorted(out.items()))
