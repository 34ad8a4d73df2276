"""Fields chosen by the source file's CSS/XPath selectors, one text per field (or one line per match)."""

from __future__ import annotations

from parsel import Selector as Page
from parsel import SelectorList

from crawlers.config.schema import Selector as FieldSelector
from crawlers.extract.html_text import FIELD_LIMIT, cut_text, markup_text
from crawlers.extract.raw_item import LIST_FIELDS, Cuts, RawItem


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
    text = cut_text(" ".join(words).strip(), FIELD_LIMIT, name, cuts)
    return text or None


def select_each(node: Page, spec: FieldSelector, cuts: Cuts | None = None, name: str = "") -> str | None:
    """Every match of SPEC under NODE as its own line (captions), None when nothing matches."""
    found = node.css(spec.css) if spec.css is not None else node.xpath(spec.xpath or "")
    lines = []
    for match in found:
        text = markup_text(SelectorList([match]), cuts, name) if spec.html else " ".join(match.get().split())
        if text:
            lines.append(" ".join(text.split()))
    return cut_text("\n".join(lines), FIELD_LIMIT, name, cuts) or None


def extract_selectors(node: Page, fields: dict[str, FieldSelector], cuts: Cuts | None = None) -> RawItem:
    """Every configured field selected under NODE."""
    return {
        name: (select_each if name in LIST_FIELDS and spec.all else select)(node, spec, cuts, name)
        for name, spec in fields.items()
    }
