"""Fetching pages safely: robots.txt, the off-site filter, retries with backoff, decoding, one crawl per source."""
