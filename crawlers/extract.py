"""Raw fields from a page: CSS/XPath selectors, schema.org JobPosting (JSON-LD, microdata), embedded JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector as Page
from parsel import SelectorList

from crawlers.config.schema import EmbeddedJson, Extract, JsonFeed
from crawlers.config.schema import Selector as FieldSelector

RawItem = dict[str, str | None]
Cuts = list[str]  # names of the fields whose text was cut at FIELD_LIMIT (for the run's stats)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "dd",
        "dt",
        "table",
        "ul",
        "ol",
    ]
)
_BLOCK_START = re.compile(r"</?(?:p|div|br|li|tr|td|th|h[1-6]|section|dd|dt|table|ul|ol)\b", re.IGNORECASE)
_INVISIBLE = ["script", "style", "noscript", "template"]

# No real ad comes near this (the longest in the real pages is a few thousand characters); a hostile
# 4.5 MB description is cut here instead of flowing through every normaliser and into the database.
FIELD_LIMIT = 20_000
# The markup of a *string* (a JSON-LD description, a microdata attribute) handed to BeautifulSoup.
MARKUP_LIMIT = 8 * FIELD_LIMIT
# libxml2 stops parsing a document nested deeper than this (2,048 with huge_tree): everything after
# that point, deep or not, is lost. Such a page is re-parsed with the markup below FLATTEN_DEPTH
# flattened to its text, and the run's stats say so.
LIBXML_MAX_DEPTH = 2048
FLATTEN_DEPTH = 256
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def _lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _cut(text: str, limit: int, name: str, cuts: Cuts | None) -> str:
    if len(text) <= limit:
        return text
    if cuts is not None:
        cuts.append(name)
    return text[:limit]


def html_to_text(html: str, limit: int = FIELD_LIMIT, cuts: Cuts | None = None, name: str = "") -> str:
    """Clean text from an HTML fragment; BeautifulSoup repairs broken markup, blocks become lines."""
    if len(html) > MARKUP_LIMIT:  # BeautifulSoup costs ~100 bytes a node: never hand it megabytes
        html = html[:MARKUP_LIMIT]
        if cuts is not None:
            cuts.append(name)
            cuts = None  # counted once
    # Marking block boundaries in the markup costs far less than inserting nodes into the tree.
    marked = _BLOCK_START.sub(r"\n\g<0>", html)
    text = _clean_text(marked)
    if text is None:  # libxml2 reported an error: BeautifulSoup's own reading of broken markup
        from bs4 import BeautifulSoup  # imported only then: a crawl of clean pages never loads it

        soup = BeautifulSoup(marked, "lxml")
        for tag in soup(_INVISIBLE):
            tag.decompose()
        text = soup.get_text()
    return _cut(_lines(text), limit, name, cuts)


# What BeautifulSoup's get_text leaves out: strings it files under another class (script, style,
# template, ruby annotations) and the invisible elements html_to_text decomposes.
_NO_TEXT = frozenset(["script", "style", "template", "rt", "rp", "noscript"])
_KEEP_SPACE = frozenset(["pre", "textarea"])  # BeautifulSoup keeps whitespace-only strings there as written
_ASCII_SPACES = " \n\t\x0c\r"
# libxml2's tree drops text after </html>, and a doctype or <![CDATA[ mid-text splits BeautifulSoup's
# strings but not lxml's: such markup is left to BeautifulSoup.
_TREE_DIFFERS = re.compile(r"</html|<!(?!--)", re.IGNORECASE)
_CHUNK = 512  # BeautifulSoup feeds lxml in chunks of this many characters


def _as_soup_string(piece: str, keep_space: bool) -> str:
    """PIECE as BeautifulSoup stores it: a string of ASCII spaces alone becomes one newline or space."""
    if keep_space or piece.strip(_ASCII_SPACES):
        return piece
    return "\n" if "\n" in piece else " "


def _clean_text(markup: str) -> str | None:
    """BeautifulSoup(MARKUP, "lxml").get_text() less _INVISIBLE, read from lxml's own tree (~7x cheaper).

    BeautifulSoup's lxml builder feeds the same libxml2 parser in the same chunks; this reads the tree
    libxml2 builds instead of building a second one in Python. None when libxml2 reported any error
    (broken markup is left to BeautifulSoup), for the markup _TREE_DIFFERS names and for text outside the root.
    """
    from lxml import etree

    if _TREE_DIFFERS.search(markup):
        return None
    if markup.startswith("\ufeff"):  # BeautifulSoup drops a leading byte order mark
        markup = markup[1:]
    parser = etree.HTMLParser(recover=True)
    try:
        parser.feed(markup[:_CHUNK])
        for start in range(_CHUNK, len(markup), _CHUNK):
            parser.feed(markup[start : start + _CHUNK])
        root = parser.close()
    except (etree.ParserError, UnicodeError, LookupError):
        return None
    if root is None or len(parser.error_log) or _outer_text(root):
        return None
    return _tree_text(root)


def _outer_text(root: Any) -> bool:
    """Whether anything beside the root element (comments, processing instructions) carries text."""
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]
    return any(node.tail for node in siblings)


def _tree_text(root: Any) -> str:
    """The strings of ROOT's tree that BeautifulSoup's get_text returns, in document order."""
    from lxml import etree

    parts: list[str] = []
    hidden = 0  # depth inside elements whose strings get_text leaves out
    kept = 0  # depth inside pre or textarea
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            hidden += tag in _NO_TEXT
            kept += tag in _KEEP_SPACE
            if node.text and not hidden:
                parts.append(_as_soup_string(node.text, kept > 0))
            continue
        if event == "end":
            hidden -= tag in _NO_TEXT
            kept -= tag in _KEEP_SPACE
        if node.tail and not hidden and node is not root:
            parts.append(_as_soup_string(node.tail, kept > 0))
    return "".join(parts)


def _element_text(element: Any, limit: int) -> tuple[str, bool]:
    """The raw text html_to_text reads from an element already parsed, and whether it stopped early.

    Reading stops once well over LIMIT characters (whitespace is only folded later).
    """
    from lxml import etree

    parts: list[str] = []
    size = 0
    skip = 0  # depth inside an invisible element
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event in ("comment", "pi"):  # only their tail is text
            if not skip and node is not element and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
        elif event == "start":
            if tag in _INVISIBLE:
                skip += 1
            if skip:
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if tag is not None and node.text:
                parts.append(node.text)
                size += len(node.text)
        else:
            if tag in _INVISIBLE:
                skip -= 1
            if skip:
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if node is not element and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
        if size > 2 * limit + 1000:
            return "".join(parts), True
    return "".join(parts), False


def markup_text(matches: SelectorList[Page], cuts: Cuts | None = None, name: str = "") -> str | None:
    """html_to_text of selected nodes, read in the response's own tree (no second parse)."""
    if all(isinstance(m.root, str) for m in matches):  # ::text or ::attr with html = true
        markup = "".join(m.get() for m in matches)
        return html_to_text(markup, FIELD_LIMIT, cuts, name) or None
    pieces: list[str] = []
    was_cut = False
    for match in matches:
        if isinstance(match.root, str):
            piece, cut = "\n" + html_to_text(match.root) + "\n", False
        else:
            piece, cut = _element_text(match.root, FIELD_LIMIT)
        pieces.append(piece)
        was_cut = was_cut or cut
        if cut or sum(map(len, pieces)) > 2 * FIELD_LIMIT + 1000:
            break
    text = _lines("".join(pieces))
    if was_cut or len(text) > FIELD_LIMIT:
        if cuts is not None:
            cuts.append(name)
        text = text[:FIELD_LIMIT]
    return text or None


def select(node: Page, spec: FieldSelector, cuts: Cuts | None = None, name: str = "") -> str | None:
    """The text (or cleaned markup) SPEC selects under NODE; None when nothing matches.

    At most FIELD_LIMIT characters; a longer field is cut there and NAME appended to CUTS.
    """
    found = node.css(spec.css) if spec.css is not None else node.xpath(spec.xpath or "")
    matches = found if spec.all else found[:1]
    if not matches:
        return None
    if spec.html:
        return markup_text(matches, cuts, name)
    words: list[str] = []
    size = 0
    for match in matches:
        value = match.get()
        words.append(" ".join(value[: 2 * FIELD_LIMIT + 1000].split()))
        size += len(words[-1]) + 1
        if size > FIELD_LIMIT or len(value) > 2 * FIELD_LIMIT + 1000:
            break
    text = _cut(" ".join(words).strip(), FIELD_LIMIT, name, cuts)
    return text or None


# Fields that hold several values (a post's media captions): one a line in the raw item.
LIST_FIELDS = frozenset(["captions"])


def select_each(node: Page, spec: FieldSelector, cuts: Cuts | None = None, name: str = "") -> str | None:
    """Every match of SPEC under NODE as its own line (captions), None when nothing matches."""
    found = node.css(spec.css) if spec.css is not None else node.xpath(spec.xpath or "")
    lines = []
    for match in found:
        text = markup_text(SelectorList([match]), cuts, name) if spec.html else " ".join(match.get().split())
        if text:
            lines.append(" ".join(text.split()))
    return _cut("\n".join(lines), FIELD_LIMIT, name, cuts) or None


def extract_selectors(node: Page, fields: dict[str, FieldSelector], cuts: Cuts | None = None) -> RawItem:
    """Every configured field selected under NODE."""
    return {
        name: (select_each if name in LIST_FIELDS and spec.all else select)(node, spec, cuts, name)
        for name, spec in fields.items()
    }


# Parsing a page once --------------------------------------------------------------------------------


def _flatten(text: str, depth_limit: int = FLATTEN_DEPTH) -> str:
    """TEXT with every tag that would open or close below DEPTH_LIMIT removed (its text kept)."""
    depth = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal depth
        closing, tag = match[1], match[2].lower()
        if tag in _VOID or match[0].endswith("/>"):
            return match[0] if depth < depth_limit else " "
        if closing:
            depth = max(depth - 1, 0)
            return match[0] if depth < depth_limit else " "
        depth += 1
        return match[0] if depth <= depth_limit else " "

    return _TAG.sub(keep, text)


def _parse(text: str, base_url: str | None) -> tuple[Any, bool]:
    """lxml's root for TEXT as parsel builds it, and whether libxml2 stopped at its depth limit."""
    from lxml import etree
    from lxml.html import HTMLParser

    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    parser = HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(body, parser=parser, base_url=base_url)
    too_deep = any("Excessive depth" in error.message for error in parser.error_log)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser, base_url=base_url)
    return root, too_deep


def parse_html(text: str, base_url: str | None = None) -> tuple[Page, str | None]:
    """A selector over TEXT, parsed once, and a warning when nesting made libxml2 drop text.

    Past LIBXML_MAX_DEPTH levels libxml2 silently ends the document. Such a page is parsed again
    with the markup below FLATTEN_DEPTH levels reduced to its text, so the text is kept (its
    structure is not) and the warning says what happened.
    """
    root, too_deep = _parse(text, base_url)
    if not too_deep:
        return Page(root=root, type="html", base_url=base_url), None
    root, still_too_deep = _parse(_flatten(text), base_url)
    if still_too_deep:  # markup the tag counter cannot follow: the rest of the page is lost
        warning = f"nesting deeper than {LIBXML_MAX_DEPTH} levels: the text below was cut"
    else:
        warning = f"nesting deeper than {LIBXML_MAX_DEPTH} levels: markup below {FLATTEN_DEPTH} was flattened"
    return Page(root=root, type="html", base_url=base_url), warning


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
            return _cut(content, FIELD_LIMIT, name, cuts) if content else markup_text(node, cuts, name)

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
        return _cut(text, FIELD_LIMIT, "", None) or None
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


def merge(base: RawItem, override: RawItem) -> RawItem:
    """BASE with every non-empty value of OVERRIDE on top."""
    return {**base, **{k: v for k, v in override.items() if v}}


def extract_items(page: Page, text: str, spec: Extract, cuts: Cuts | None = None) -> list[RawItem]:
    """Raw items of one page (a detail page gives at most one, a list page many).

    A field longer than FIELD_LIMIT characters is cut there and its name appended to CUTS.
    """
    if spec.mode == "embedded_json" and spec.embedded_json is not None:
        return extract_embedded_json(text, spec.embedded_json)
    if spec.mode == "schema_org":
        # selectors fill what the structured data leaves out (age, contacts); the structured data wins
        extra = extract_selectors(page, spec.fields, cuts) if spec.fields else {}
        return [merge(extra, item) for item in extract_schema_org(page, cuts)]
    if spec.on == "list" and spec.row is not None:
        nodes = page.css(spec.row.css) if spec.row.css else page.xpath(spec.row.xpath or "")
        return [extract_selectors(node, spec.fields, cuts) for node in nodes]
    return [extract_selectors(page, spec.fields, cuts)]
