"""Shared parts of the ad writers: the seeded rng, the organisation pool, contacts and places."""

from __future__ import annotations

import random
from datetime import date, timedelta

from synthetic_ads import ad_parts as parts
from synthetic_ads.ad_parts import City
from synthetic_ads.ground_truth import LATEST_POSTED
from synthetic_ads.organisations import Org, org_pool
from synthetic_ads.phrases import job as P


class AdWriterBase:
    """Holds the rng and the organisation pool of one seed."""

    def __init__(self, seed: int, n_job: int, n_marriage: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.pool = org_pool(self.rng, seed, n_job, n_marriage)

    def pick_org(self, roles: tuple[str, ...]) -> Org:
        # A skewed choice so some organisations post many ads (reposts), most post a few.
        orgs = self.pool[self.rng.choice(roles)]
        return orgs[
            min(int(self.rng.paretovariate(1.2)) - 1, len(orgs) - 1)
            if self.rng.random() < 0.4
            else self.rng.randrange(len(orgs))
        ]

    def posted(self) -> date:
        return LATEST_POSTED - timedelta(days=self.rng.randrange(90))

    def _display_name(self, org: Org) -> str:
        rng = self.rng
        if org.role == "individual":
            return org.names[0] if rng.random() < 0.6 else rng.choice(org.names[1:])
        return org.names[0] if rng.random() < 0.5 else rng.choice(org.names[1:])

    def _contact(self, org: Org, obfuscate: bool) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """Contact line as printed, plus the true phones and WeChat IDs it contains."""
        rng = self.rng
        phones = [p for p in org.phones if rng.random() < 0.75] or [org.phones[-1]]
        person = org.names[0] if org.role == "individual" else parts.person_name(rng)
        pieces = [f"{person}{rng.choice(('：', ' ', '，电话：', ' 手机'))}"]
        pieces.append("、".join(parts.render_phone(rng, p, obfuscate) for p in phones))
        wechats: list[str] = []
        mobile = next((p for p in phones if "-" not in p), None)
        if org.wechat_id and rng.random() < 0.7:
            wechats.append(org.wechat_id)
            pieces.append("，" + parts.render_wechat(rng, org.wechat_id, False, obfuscate))
        elif mobile and rng.random() < 0.4:
            wechats.append(mobile)
            pieces.append(" " + parts.render_wechat(rng, mobile, True, obfuscate))
        return "".join(pieces), tuple(phones), tuple(wechats)

    def _location(self, city: City, county: str) -> tuple[str, str | None]:
        rng = self.rng
        if rng.random() < 0.15:
            return city.name, None
        town = rng.choice(P.PARKS)
        street = rng.choice(("", town, f"{town}{rng.randint(1, 99)}号"))
        return f"{city.name}{parts.COUNTY_NAMES[county]}{street}", county
