"""Local demo websites (job boards and a marriage-broker site) for crawls, demos, tests and benchmarks.

See README.md in this folder for each site's URL scheme and markup.
"""

from crawlers.demo_web.model import SITES, SiteSpec, ground_truth, write_ground_truth
from crawlers.demo_web.server import DemoWeb, serve_forever

__all__ = ["SITES", "DemoWeb", "SiteSpec", "ground_truth", "serve_forever", "write_ground_truth"]
