"""The raw items of one page, by the source's extract mode (selectors, schema.org or embedded JSON)."""

from __future__ import annotations

from parsel import Selector as Page

from crawlers.config.schema import Extract
from crawlers.extract.raw_item import Cuts, RawItem, merge
from crawlers.extract.selectors import extract_selectors
from crawlers.extract.structured import extract_embedded_json, extract_schema_org


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
