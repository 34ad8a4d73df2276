"""Raw fields from a page: HTML to text, CSS/XPath selectors, schema.org JobPosting, embedded JSON, feeds.

One module per source of fields; `items.extract_items` picks one by the source's extract mode.
"""
