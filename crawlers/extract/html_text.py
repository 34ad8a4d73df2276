"""HTML to text as BeautifulSoup's get_text reads it (cheaper, same result), length limits, parsing a page once."""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector as Page
from parsel import SelectorList

from crawlers.extract.raw_item import Cuts

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
# Where a block element starts or ends: a line break goes in front (a zero-width match, so the
# replacement is a plain string and re.sub inserts it in C, with no template expanded per match).
_BLOCK_START = re.compile(
    r"(?=</?(?:p|div|br|li|tr|td|th|h[1-6]|section|dd|dt|table|ul|ol)\b)", re.IGNORECASE
)
_INVISIBLE = ["script", "style", "noscript", "template"]
# Text without markup, entities or characters libxml2 rewrites (controls, CR, a byte order mark) reads the
# same parsed or not.
_NEEDS_PARSER = re.compile("[<&\x00-\x08\x0b-\x1f\x7f\ufeff]")

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


def cut_text(text: str, limit: int, name: str, cuts: Cuts | None) -> str:
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
    if not _NEEDS_PARSER.search(html):  # plain text (a JSON-LD description often is): nothing to parse
        return cut_text(_lines(html), limit, name, cuts)
    # Marking block boundaries in the markup costs far less than inserting nodes into the tree.
    marked = _BLOCK_START.sub("\n", html)
    text = _clean_text(marked)
    if text is None:  # libxml2 reported an error: BeautifulSoup's own reading of broken markup
        from bs4 import BeautifulSoup  # imported only then: a crawl of clean pages never loads it

        soup = BeautifulSoup(marked, "lxml")
        for tag in soup(_INVISIBLE):
            tag.decompose()
        text = soup.get_text()
    return cut_text(_lines(text), limit, name, cuts)


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
