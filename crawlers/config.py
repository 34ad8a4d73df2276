"""Source configuration: one TOML file per site, validated with pydantic, every problem reported at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
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
        return _check_field_names(value)


class JsonFeed(Strict):
    """Posts in a JSON API answer: the items at a path, each field at a path inside one item."""

    items: JsonPathText = Field(description="path of the posts, e.g. data.statuses[*]")
    fields: dict[str, JsonPathText] = Field(
        description="field -> path inside one post, e.g. user.screen_name"
    )

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_field_names(value)


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
        return _check_field_names(value)

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


def _check_field_names(value: dict[str, Any]) -> dict[str, Any]:
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
            raise ValueError(_NOWHERE_TO_START)
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class SourceError(ValueError):
    """A source file is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _key_of(loc: tuple[Any, ...]) -> str:
    # pydantic locations mix keys and list indexes: ('start_urls', 0) -> start_urls[0]
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(file)"


_TOML_WHERE = re.compile(r"\s*\(at (line \d+, column \d+|end of document)\)$")


def _toml_problem(file: str, message: str) -> Problem:
    """A TOML syntax error with its line and column as the key (Python 3.11 has them only in the text)."""
    where = _TOML_WHERE.search(message)
    key = where.group(1) if where else "(file)"
    return Problem(file, key, f"TOML syntax error: {_TOML_WHERE.sub('', message)}")


def check_source_text(text: str, file: str) -> tuple[SourceConfig | None, list[Problem]]:
    """Parse and validate one source file's TEXT; every problem is returned, none raised."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_problem(file, str(exc))]
    try:
        return SourceConfig.model_validate(data), []
    except ValidationError as exc:
        problems = [
            Problem(file, _key_of(tuple(e["loc"])), e["msg"].removeprefix("Value error, "))
            for e in exc.errors()
        ]
        # pydantic skips a dict's name check once a value in it failed: say both in this one pass
        return None, problems + [p for p in _raw_problems(data, file) if p not in problems]


_NOWHERE_TO_START = "give start_urls, links.sitemaps or links.url_lists (somewhere to start)"


def _raw_problems(data: dict[str, Any], file: str) -> list[Problem]:
    """What whole-model checks would say, read from the raw data (they do not run once a field failed)."""
    links: dict[str, Any] = data["links"] if isinstance(data.get("links"), dict) else {}
    if not (data.get("start_urls") or links.get("sitemaps") or links.get("url_lists")):
        return [Problem(file, "start_urls", _NOWHERE_TO_START), *_field_name_problems(data, file)]
    return _field_name_problems(data, file)


def _field_name_problems(data: dict[str, Any], file: str) -> list[Problem]:
    """Unknown listing field names in the field tables of raw (unvalidated) source data."""
    extract: dict[str, Any] = data["extract"] if isinstance(data.get("extract"), dict) else {}
    embedded: dict[str, Any] = (
        extract["embedded_json"] if isinstance(extract.get("embedded_json"), dict) else {}
    )
    feed: dict[str, Any] = extract["json_feed"] if isinstance(extract.get("json_feed"), dict) else {}
    tables = {
        "extract.fields": extract.get("fields"),
        "extract.detail_fields": extract.get("detail_fields"),
        "extract.embedded_json.fields": embedded.get("fields"),
        "extract.json_feed.fields": feed.get("fields"),
    }
    problems = []
    for key, value in tables.items():
        if isinstance(value, dict) and set(value) - set(RAW_FIELDS):
            try:
                _check_field_names(value)
            except ValueError as exc:
                problems.append(Problem(file, key, str(exc)))
    return problems


def check_source(path: Path) -> tuple[SourceConfig | None, list[Problem]]:
    """Validate the source file at PATH (name must match the file name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "(file)", f"cannot read: {exc}")]
    config, problems = check_source_text(text, str(path))
    if config is not None and config.name != path.stem:
        problems.append(
            Problem(str(path), "name", f"{config.name!r} differs from the file name {path.stem!r}")
        )
        config = None
    return config, problems


def load_source(path: Path) -> SourceConfig:
    """The valid source at PATH, or SourceError listing every problem."""
    config, problems = check_source(path)
    if config is None:
        raise SourceError(problems)
    return config


def source_files(folder: Path) -> list[Path]:
    """The *.toml files of the sources folder, by name."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def find_source(folder: Path, name_or_path: str) -> Path:
    """The file for a source name (or a path given directly)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    path = folder / f"{name_or_path}.toml"
    if not path.exists():
        known = ", ".join(p.stem for p in source_files(folder)) or "none"
        raise SourceError([Problem(str(path), "(file)", f"no such source; known: {known}")])
    return path


def load_source_schedules(folder: Path) -> list[tuple[str, str]]:
    """(name, cron) of every enabled source file in FOLDER that has a schedule: what the scheduler runs.

    Only the keys the scheduler needs are read (a [source] table or top-level keys), so one broken
    extraction rule does not stop every other site's schedule; the cron line is checked by the same rule
    as `sources check` (store/cron.py), which also takes 6 fields (seconds first) here.
    """
    schedules = []
    for path in source_files(folder):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"source file {path}: {exc}") from None
        table = data.get("source", data)  # a [source] table or top-level keys
        name, cron = table.get("name") or path.stem, table.get("schedule")
        if table.get("enabled", True) and cron:
            try:
                crontab_trigger(str(cron), "UTC")
            except ValueError as exc:
                raise ValueError(f"source file {path}: schedule: {exc}") from None
            schedules.append((str(name), str(cron)))
    return schedules


def unknown_placeholders(config: SourceConfig, path: Path, known: set[str]) -> list[Problem]:
    """Problems for {placeholders} with no base URL (disabled sources run only when named: exempt)."""
    if not config.enabled:
        return []
    return [
        Problem(str(path), f"{{{name}}}", "placeholder has no base URL; set LABOURWATCH_SITE_URLS")
        for name in sorted(config.placeholders() - known)
    ]


def known_placeholders(site_urls: dict[str, str]) -> set[str]:
    """The placeholder names a crawl can resolve: the demo sites' and LABOURWATCH_SITE_URLS' keys."""
    return set(site_bases("http://127.0.0.1:8600", site_urls))


def check_source_here(path: Path, site_urls: dict[str, str]) -> tuple[SourceConfig | None, list[Problem]]:
    """check_source, plus placeholders these settings cannot resolve (what `sources check` reports)."""
    config, problems = check_source(path)
    if config is not None:
        problems += unknown_placeholders(config, path, known_placeholders(site_urls))
    return (config if not problems else None), problems


def resolve(text: str, bases: dict[str, str]) -> str:
    """TEXT with every {placeholder} replaced by its base URL (trailing slash dropped)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in bases:
            raise SourceError(
                [
                    Problem(
                        "(settings)",
                        name,
                        f"placeholder {{{name}}} has no base URL; set LABOURWATCH_SITE_URLS",
                    )
                ]
            )
        return bases[name].rstrip("/")

    return PLACEHOLDER.sub(one, text)


def site_bases(demo_web_url: str | None, site_urls: dict[str, str]) -> dict[str, str]:
    """Placeholder -> base URL: the demo sites on consecutive ports from DEMO_WEB_URL, then SITE_URLS.

    `labourwatch demo-web` serves its sites on base_port, base_port+1, ... in the order of
    crawlers.demo_web.SITES; {demo_web} is the first and {suzhou-jobs} etc. name each one.
    """
    bases: dict[str, str] = {}
    if demo_web_url:
        from crawlers.demo_web import SITES

        parts = urlsplit(demo_web_url)
        bases["demo_web"] = demo_web_url.rstrip("/")
        for offset, site in enumerate(SITES):
            port = (parts.port or 80) + offset
            bases[site.name] = f"{parts.scheme}://{parts.hostname}:{port}"
    return bases | site_urls


@dataclass(frozen=True)
class ResolvedSource:
    """A source with its placeholders resolved: what a crawl actually uses."""

    config: SourceConfig
    start_urls: list[str]
    allowed_domains: list[str]
    sitemaps: list[str] = field(default_factory=list)
    url_lists: list[str] = field(default_factory=list)

    @property
    def entry_urls(self) -> list[str]:
        """Every URL a crawl starts from: start pages, sitemaps and URL lists (they define the site)."""
        return [*self.start_urls, *self.sitemaps, *self.url_lists]


def resolve_source(config: SourceConfig, bases: dict[str, str]) -> ResolvedSource:
    """Resolve URLs; allowed domains default to the hosts of the start URLs, sitemaps and URL lists."""
    urls = [resolve(u, bases) for u in config.start_urls]
    sitemaps = [resolve(u, bases) for u in config.links.sitemaps]
    url_lists = [resolve(u, bases) for u in config.links.url_lists]
    everywhere = [*urls, *sitemaps, *url_lists]
    domains = [_host(resolve(d, bases)) for d in config.allowed_domains] or sorted(
        {_host(u) for u in everywhere}
    )
    return ResolvedSource(config, urls, domains, sitemaps, url_lists)


def _host(text: str) -> str:
    # a domain entry may be a bare host or a resolved placeholder URL (http://127.0.0.1:8000)
    return (urlsplit(text).hostname or "") if "://" in text else text
