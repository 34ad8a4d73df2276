"""The shape of a source file: pydantic models for one site, every key checked, unknown keys refused."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from store.cron import crontab_trigger

# A placeholder such as {demo_web} in a URL, resolved at run time from settings (never a hardcoded port).
PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9_-]*)\}")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,79}$")
LISTING_FIELDS = (
    "title",
    "body",
    "employer",
    "salary",
    "age",
    "location",
    "contact",
    "posted",
    "licence",
    "credit_code",
    "external_id",
    "url",
)
# Fields of a social post (feed sources): kept in the listing's `extra` JSON besides the listing fields.
POST_FIELDS = ("author", "text", "time", "reposts", "captions")
RAW_FIELDS = LISTING_FIELDS + POST_FIELDS
NOWHERE_TO_START = "give start_urls, links.sitemaps or links.url_lists (somewhere to start)"


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a source file must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(Strict):
    """One CSS or XPath selector; `html = true` keeps markup (cleaned to text with BeautifulSoup)."""

    css: str | None = None
    xpath: str | None = None
    html: StrictBool = False
    all: bool = Field(default=False, description="join every match instead of taking the first")

    @model_validator(mode="after")
    def _exactly_one(self) -> Selector:
        if (self.css is None) == (self.xpath is None):
            raise ValueError("give exactly one of css or xpath")
        return self

    @field_validator("css")
    @classmethod
    def _valid_css(cls, value: str | None) -> str | None:
        if value is not None:
            from parsel.csstranslator import HTMLTranslator

            try:
                HTMLTranslator().css_to_xpath(value)
            except Exception as exc:
                raise ValueError(f"invalid CSS selector: {exc}") from None
        return value

    @field_validator("xpath")
    @classmethod
    def _valid_xpath(cls, value: str | None) -> str | None:
        if value is not None:
            from lxml import etree

            try:
                etree.XPath(value)
            except etree.XPathSyntaxError as exc:
                raise ValueError(f"invalid XPath: {exc}") from None
        return value


Role = Literal["list", "detail", "follow"]


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    return value


def _check_path(value: str) -> str:
    from crawlers.jsonpath import parse_path

    parse_path(value)  # PathError is a ValueError: one line naming the path and the position
    return value


# A JSONPath-style path (crawlers.jsonpath): checked when the source file is read, so `sources check`
# names the file and the field (extract.json_feed.fields.author: invalid path ...).
JsonPathText = Annotated[str, AfterValidator(_check_path)]


class LinkRule(Strict):
    """One `[[links.rules]]` entry: which links (URL regexes) to follow, as what, and how deep."""

    allow: list[str] = Field(default_factory=list, description="URL regexes (search); empty: every URL")
    deny: list[str] = Field(default_factory=list, description="URL regexes that win over allow")
    role: Role = Field(description="list: read rows and follow links; detail: one ad; follow: links only")
    follow: StrictBool | None = Field(
        default=None, description="follow the links of these pages (default: yes, except detail pages)"
    )
    max_depth: int | None = Field(default=None, ge=0, le=1000, description="links deeper are not followed")

    _regexes = field_validator("allow", "deny")(classmethod(lambda cls, v: [_check_regex(x) for x in v]))

    def matches(self, url: str) -> bool:
        """True when URL is allowed (any allow regex, or none given) and no deny regex matches."""
        allowed = not self.allow or any(re.search(p, url) for p in self.allow)
        return allowed and not any(re.search(p, url) for p in self.deny)

    def follows(self) -> bool:
        return self.follow if self.follow is not None else self.role != "detail"


class Links(Strict):
    """How to walk a site: selectors for detail and next links, URL rules, sitemaps and URL lists."""

    detail: Selector | None = None
    next: Selector | None = None
    max_pages: int = Field(default=200, ge=1, le=100_000)
    rules: list[LinkRule] = Field(default_factory=list, description="the first matching rule decides")
    start_role: Role = Field(default="list", description="what the start URLs are")
    sitemaps: list[str] = Field(
        default_factory=list, description="robots.txt (its Sitemap: lines), sitemaps, indexes, .gz too"
    )
    url_lists: list[str] = Field(default_factory=list, description="text files of URLs, one a line")
    max_depth: int = Field(default=20, ge=0, le=1000, description="links followed from a start at most")
    max_requests: int = Field(default=200_000, ge=1, le=10_000_000, description="pages requested at most")
    cursor: JsonPathText | None = Field(
        default=None, description="JSON feeds: path of the next cursor, passed back as cursor_param"
    )
    cursor_param: str = Field(default="cursor", min_length=1, description="query parameter of the cursor")
    page_param: str | None = Field(
        default=None, min_length=1, description="JSON feeds: page-number parameter (stop on an empty page)"
    )
    first_page: int = Field(default=1, ge=0, description="the page number of the start URL (page paging)")

    _urls = field_validator("sitemaps", "url_lists")(classmethod(lambda cls, v: [_check_url(x) for x in v]))

    @model_validator(mode="after")
    def _one_paging(self) -> Links:
        if self.cursor is not None and self.page_param is not None:
            raise ValueError("give cursor (cursor paging) or page_param (page paging), not both")
        return self

    def rule_for(self, url: str) -> LinkRule | None:
        """The first rule matching URL, or None."""
        return next((rule for rule in self.rules if rule.matches(url)), None)


class EmbeddedJson(Strict):
    """Items inside JSON embedded in the page, e.g. `window.__SEARCH_RESULT__ = {...};`."""

    variable: str = Field(min_length=1, description="the JavaScript name assigned the JSON")
    path: str = Field(default="", description="dotted path to the list of items (empty: the root)")
    fields: dict[str, str] = Field(description="listing field -> dotted path inside one item")

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        return check_field_names(value)


class JsonFeed(Strict):
    """Posts in a JSON API answer: the items at a path, each field at a path inside one item."""

    items: JsonPathText = Field(description="path of the posts, e.g. data.statuses[*]")
    fields: dict[str, JsonPathText] = Field(
        description="field -> path inside one post, e.g. user.screen_name"
    )

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        return check_field_names(value)


class Extract(Strict):
    """Where a listing's fields come from."""

    mode: Literal["selectors", "schema_org", "embedded_json", "json_feed"] = "selectors"
    on: Literal["detail", "list"] = Field(
        default="detail", description="detail pages (one ad each) or rows of the list page"
    )
    row: Selector | None = Field(default=None, description="one ad's row on a list page (on = list)")
    fields: dict[str, Selector] = Field(default_factory=dict)
    embedded_json: EmbeddedJson | None = None
    json_feed: JsonFeed | None = None
    detail_fields: dict[str, Selector] = Field(
        default_factory=dict,
        description="with on = 'list': follow each row's url and read these on its detail page (they win)",
    )
    required: list[str] = Field(default_factory=lambda: ["title"])

    @field_validator("fields", "detail_fields")
    @classmethod
    def _known_fields(cls, value: dict[str, Selector]) -> dict[str, Selector]:
        return check_field_names(value)

    @model_validator(mode="before")
    @classmethod
    def _posts_require_text(cls, data: Any) -> Any:
        """A post has no title of its own: feeds require `text` unless the file says otherwise."""
        if isinstance(data, dict) and "required" not in data:
            raw = data.get("fields")
            fields: dict[str, Any] = raw if isinstance(raw, dict) else {}
            if data.get("mode") == "json_feed" or ("text" in fields and "title" not in fields):
                return {**data, "required": ["text"]}
        return data

    @model_validator(mode="after")
    def _mode_has_what_it_needs(self) -> Extract:
        if self.mode == "selectors" and not {"title", "text"} & set(self.fields):
            raise ValueError(
                "mode 'selectors' needs a 'title' (or, for posts, 'text') selector in [extract.fields]"
            )
        if self.mode == "embedded_json" and self.embedded_json is None:
            raise ValueError("mode 'embedded_json' needs an [extract.embedded_json] table")
        if self.mode == "json_feed" and self.json_feed is None:
            raise ValueError("mode 'json_feed' needs an [extract.json_feed] table (items and fields)")
        if self.on == "list" and self.mode == "selectors" and self.row is None:
            raise ValueError("on = 'list' with selectors needs a 'row' selector")
        if self.detail_fields and self.on != "list":
            raise ValueError("detail_fields needs on = 'list' (rows whose url leads to a detail page)")
        unknown = [f for f in self.required if f not in RAW_FIELDS]
        if unknown:
            raise ValueError(f"required names unknown fields {unknown}; known: {', '.join(RAW_FIELDS)}")
        return self


def _posts(extract: Extract) -> bool:
    return extract.mode == "json_feed" or bool(set(extract.fields) & set(POST_FIELDS))


class Politeness(Strict):
    """Per-site overrides of the crawl's safety settings (the defaults are polite)."""

    download_delay: float = Field(default=1.0, ge=0, le=120)
    concurrent_requests_per_domain: int = Field(default=1, ge=1, le=2)
    autothrottle: StrictBool = True
    autothrottle_target_concurrency: float = Field(default=1.0, gt=0, le=2)
    download_timeout: int = Field(default=20, ge=1, le=120)
    user_agent: str | None = Field(default=None, max_length=300)


def _check_url(url: str) -> str:
    if not re.match(r"^(https?://|\{[a-z0-9][a-z0-9_-]*\})", url):
        raise ValueError(f"{url!r} must start with http(s):// or a placeholder such as {{demo_web}}")
    return url


def check_field_names(value: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(value) - set(RAW_FIELDS))
    if unknown:
        raise ValueError(f"unknown field names {unknown}; known: {', '.join(RAW_FIELDS)}")
    return value


def _check_cron(value: str | None) -> str | None:
    if value is not None:
        if len(value.split()) != 5:
            raise ValueError("must be a 5-field cron expression such as '0 */6 * * *'")
        crontab_trigger(value, "UTC")  # the scheduler's own rule: ranges too (61 25 * * * is refused)
    return value


class SourceConfig(Strict):
    """One site: what it is, where to start, how to walk it, how to read an ad, and when to run."""

    name: str
    title: str = ""
    kind: Literal["job", "marriage"]
    region: str = Field(description="six-digit region code of the site's city (e.g. 320100)")
    start_urls: list[str] = Field(default_factory=list, description="pages to start from (links.start_role)")
    allowed_domains: list[str] = Field(default_factory=list)
    encoding: str | None = Field(default=None, description="forced encoding; wins over headers")
    min_items: int = Field(default=1, ge=0)
    schedule: str | None = None
    enabled: StrictBool = True  # "yes" is not a boolean in TOML; a quoted value is a mistake
    links: Links = Field(default_factory=Links)
    extract: Extract
    politeness: Politeness = Field(default_factory=Politeness)

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must be 2-80 characters of a-z, 0-9, '-' or '_' (lower case first)")
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        from store.regions import get_region

        if get_region(value) is None:
            raise ValueError(f"unknown region code {value!r} (six digits, GB/T 2260)")
        return value

    @field_validator("start_urls")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        return [_check_url(url) for url in value]

    @model_validator(mode="after")
    def _somewhere_to_start(self) -> SourceConfig:
        if not (self.start_urls or self.links.sitemaps or self.links.url_lists):
            raise ValueError(NOWHERE_TO_START)
        return self

    @model_validator(mode="after")
    def _paging_needs_a_json_feed(self) -> SourceConfig:
        links = self.links
        if (links.cursor is not None or links.page_param is not None) and self.extract.mode != "json_feed":
            raise ValueError(
                "links.cursor and links.page_param page JSON feeds: they need mode = 'json_feed'"
            )
        return self

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        import codecs

        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value

    _cron = field_validator("schedule")(classmethod(lambda cls, v: _check_cron(v)))

    @property
    def posts(self) -> bool:
        """True for a feed source: its items are social posts (a JSON feed, or post fields on list rows)."""
        return _posts(self.extract)

    def placeholders(self) -> set[str]:
        """Names of the {placeholders} used in URLs and domains."""
        texts = [*self.start_urls, *self.links.sitemaps, *self.links.url_lists, *self.allowed_domains]
        return {m for text in texts for m in PLACEHOLDER.findall(text)}
