"""What each demo site publishes at a given epoch: postings by URL path, and the ground truth."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from synthetic_ads.ads import Ad, generate_ads, generate_extra_ads, organisations


@dataclass(frozen=True)
class SiteSpec:
    """One demo site: its name, the kind of ads, the region it covers and its page encoding."""

    name: str
    kind: str  # job | marriage
    region_code: str
    encoding: str
    per_page: int


SITES: tuple[SiteSpec, ...] = (
    SiteSpec("suzhou-jobs", "job", "320500", "gbk", 20),
    SiteSpec("jiangsu-talent", "job", "320000", "utf-8", 15),
    SiteSpec("51-style", "job", "320100", "utf-8", 25),
    SiteSpec("hongniang-marriage", "marriage", "320000", "utf-8", 12),
    # Feeds of social posts (crawlers.demo_web.site_feeds): brokers and gang masters among ordinary posts.
    SiteSpec("weibo-feed", "marriage", "320500", "utf-8", 10),
    SiteSpec("video-feed", "job", "320500", "utf-8", 8),
)
REPOST_SHARE = 0.25
MODIFY_SHARE, REMOVE_SHARE, ADD_SHARE = 0.10, 0.03, 0.03


@dataclass(frozen=True)
class Posting:
    """An ad as one site shows it: its path there and the employer name printed there."""

    site: str
    path: str
    ad: Ad
    employer: str
    slow: bool = False


@dataclass(frozen=True)
class SiteState:
    """A site at one epoch: postings in list order, live paths, and paths that answer 404."""

    spec: SiteSpec
    postings: tuple[Posting, ...]
    by_path: dict[str, Posting]
    gone: dict[str, str | None]  # path -> ad_id (None for planted dead links)
    dead_links: tuple[tuple[str, str], ...]  # (path, title) listed but never served

    def pages(self) -> int:
        """Number of list pages (at least one)."""
        total = len(self.postings) + len(self.dead_links)
        return max(1, -(-total // self.spec.per_page))


def _digest(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def detail_path(site: str, ad_id: str) -> str:
    """The stable detail URL path of an ad on a site (each site has its own id scheme)."""
    h = _digest(site, ad_id)
    if site == "suzhou-jobs":
        return f"/zhaopin/{int(h[:12], 16) % 9 * 10**13 + 10**13 + int(h[12:24], 16) % 10**13}x.shtml"
    if site == "jiangsu-talent":
        return f"/jobs/{h[:10]}.html"
    if site == "51-style":
        return f"/jobs/{100_000_000 + int(h[:10], 16) % 900_000_000}.html"
    return f"/hunlian/{100_000 + int(h[:8], 16) % 900_000}.html"


def _home_sites(ad: Ad) -> list[str]:
    """Job boards an ad is posted on: a home board by city, sometimes a repost elsewhere."""
    if ad.kind == "marriage":
        return ["hongniang-marriage"]
    rng = random.Random(_digest("home", ad.ad_id))
    if ad.city_code == "320500":
        home = "suzhou-jobs" if rng.random() < 0.7 else "jiangsu-talent"
    elif ad.city_code == "320100":
        home = "51-style" if rng.random() < 0.6 else "jiangsu-talent"
    else:
        home = "jiangsu-talent" if rng.random() < 0.7 else rng.choice(("51-style", "suzhou-jobs"))
    sites = [home]
    if rng.random() < REPOST_SHARE:
        sites.append(rng.choice([s for s in ("suzhou-jobs", "jiangsu-talent", "51-style") if s != home]))
    return sites


def _edit_ad(rng: random.Random, ad: Ad, epoch: int) -> Ad:
    """A later version of an ad: pay raised (when it states pay) and a line of text edited."""
    body = ad.body + f"\n\n（{epoch}月更新：岗位仍在招聘，名额有限，欲报从速）"
    if ad.salary_min is None or not ad.salary_text or ad.salary_text not in ad.body:
        return replace(ad, body=body)
    delta = rng.choice((200, 300, 500, 800))
    lo, hi = ad.salary_min + delta, (ad.salary_max or ad.salary_min + 1000) + delta
    text = f"{lo}-{hi}元/月"
    return replace(
        ad,
        body=body.replace(ad.salary_text, text),
        title=ad.title.replace(ad.salary_text, text),
        salary_text=text,
        salary_min=lo,
        salary_max=hi,
    )


@lru_cache(maxsize=16)
def ads_at_epoch(seed: int, n_job: int, n_marriage: int, epoch: int) -> tuple[tuple[Ad, ...], dict[str, int]]:
    """The live ads at an epoch, and the epoch each removed ad_id disappeared in."""
    if epoch < 1:
        raise ValueError("epoch starts at 1")
    if epoch == 1:
        return tuple(generate_ads(seed, n_job, n_marriage)), {}
    previous, removed = ads_at_epoch(seed, n_job, n_marriage, epoch - 1)
    rng = random.Random(f"{seed}:epoch:{epoch}")
    live: list[Ad] = []
    removed = dict(removed)
    for ad in previous:
        roll = rng.random()
        if roll < REMOVE_SHARE:
            removed[ad.ad_id] = epoch
        elif roll < REMOVE_SHARE + MODIFY_SHARE:
            live.append(_edit_ad(rng, ad, epoch))
        else:
            live.append(ad)
    k_job, k_mar = max(1, round(n_job * ADD_SHARE)), max(1, round(n_marriage * ADD_SHARE))
    live += generate_extra_ads(seed, n_job, n_marriage, k_job, k_mar, tag=f"e{epoch}")
    return tuple(live), removed


def _repost_name(ad: Ad, site: str, names: tuple[str, ...]) -> str:
    """The employer name a repost prints: another of the organisation's names where it has one."""
    others = [n for n in names if n != ad.employer]
    if not others:
        return ad.employer
    return others[int(_digest("name", site, ad.ad_id)[:6], 16) % len(others)]


@lru_cache(maxsize=16)
def site_states(seed: int, n_job: int, n_marriage: int, epoch: int) -> dict[str, SiteState]:
    """Every site's state at an epoch (cached: the server and ground truth share it)."""
    live, removed = ads_at_epoch(seed, n_job, n_marriage, epoch)
    orgs = organisations(seed, n_job, n_marriage)
    base_ids = {ad.ad_id: ad for ad in ads_at_epoch(seed, n_job, n_marriage, 1)[0]}
    postings: dict[str, list[Posting]] = {s.name: [] for s in SITES}
    for ad in live:
        for i, site in enumerate(_home_sites(ad)):
            employer = ad.employer if i == 0 else _repost_name(ad, site, orgs[ad.org_key].names)
            postings[site].append(Posting(site, detail_path(site, ad.ad_id), ad, employer))
    gone_ids = [base_ids[a] for a in removed if a in base_ids]
    # The slow page is fixed by epoch 1 so it never moves to another page (it goes if its ad goes).
    slow_path = min(
        (detail_path("suzhou-jobs", a) for a in base_ids if "suzhou-jobs" in _home_sites(base_ids[a])),
        default=None,
    )
    return {spec.name: _site_state(spec, postings[spec.name], gone_ids, seed, slow_path) for spec in SITES}


def _site_state(
    spec: SiteSpec, postings: list[Posting], gone_ads: list[Ad], seed: int, slow_path: str | None
) -> SiteState:
    postings.sort(key=lambda p: (-p.ad.posted.toordinal(), p.path))
    if spec.name == "suzhou-jobs":
        postings = [replace(p, slow=True) if p.path == slow_path else p for p in postings]
    gone: dict[str, str | None] = {
        detail_path(spec.name, ad.ad_id): ad.ad_id for ad in gone_ads if spec.name in _home_sites(ad)
    }
    dead: list[tuple[str, str]] = []
    if spec.name == "suzhou-jobs":
        rng = random.Random(f"{seed}:dead")
        for k in range(max(2, len(postings) // 40)):
            path = f"/zhaopin/{rng.randrange(10**13, 10**14)}x.shtml"
            dead.append((path, f"急招普工{k + 1}名 包吃住"))
            gone[path] = None
    return SiteState(spec, tuple(postings), {p.path: p for p in postings}, gone, tuple(dead))


def _truth(p: Posting) -> dict:
    ad = p.ad
    return {
        "status": 200,
        "ad_id": ad.ad_id,
        "kind": ad.kind,
        "title": ad.title,
        "employer": p.employer,
        "org_key": ad.org_key,
        "salary_min": ad.salary_min,
        "salary_max": ad.salary_max,
        "age_min": ad.age_min,
        "age_max": ad.age_max,
        "province_code": ad.province_code,
        "city_code": ad.city_code,
        "county_code": ad.county_code,
        "phones": list(ad.phones),
        "wechat_ids": list(ad.wechat_ids),
        "licence_no": ad.licence_no,
        "credit_code": ad.credit_code,
        "posted": ad.posted.isoformat(),
        "indicators": sorted(ad.indicators),
        "labels": dict(ad.labels),
        "body_sha256": hashlib.sha256(ad.body.encode()).hexdigest(),
        "slow": p.slow,
    }


def ground_truth(seed: int = 2014, epoch: int = 1, n_job: int = 240, n_marriage: int = 60) -> dict[str, dict]:
    """Per site, each detail URL path -> the fields a perfect extractor would return (or status 404)."""
    from crawlers.demo_web.site_feeds import FEED_SITES, feed_truth

    out: dict[str, dict] = {}
    for name, state in site_states(seed, n_job, n_marriage, epoch).items():
        if name in FEED_SITES:  # posts: the same at every epoch
            out[name] = feed_truth(seed, name)
            continue
        pages = {path: _truth(p) for path, p in state.by_path.items()}
        pages.update({path: {"status": 404, "ad_id": ad_id} for path, ad_id in state.gone.items()})
        out[name] = dict(sorted(pages.items()))
    return out


def write_ground_truth(
    path: str | Path, seed: int = 2014, epoch: int = 1, n_job: int = 240, n_marriage: int = 60
) -> Path:
    """Write ground_truth(...) as UTF-8 JSON, with the parameters that produced it."""
    target = Path(path)
    doc = {
        "seed": seed,
        "epoch": epoch,
        "n_job": n_job,
        "n_marriage": n_marriage,
        "salary_unit": "CNY per month (day x 21.75, hour x 174)",
        "sites": ground_truth(seed, epoch, n_job, n_marriage),
    }
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
