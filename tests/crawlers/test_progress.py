"""What a crawl process reports about itself: its own peak memory, not its parent's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.progress import peak_rss_mb

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is read from Linux's /proc")
def test_a_child_reports_its_own_peak_memory_not_the_parents() -> None:
    held = bytearray(256 * 1024 * 1024)
    held[::4096] = b"\x01" * len(held[::4096])  # touch every page: 256 MB resident in this process
    assert (peak_rss_mb() or 0) > 256
    code = "import json; from crawlers.progress import peak_rss_mb; print(json.dumps(peak_rss_mb()))"
    child = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    own = json.loads(child.stdout)
    # getrusage in the child would say 256+ MB: Linux carries the parent's peak across fork and exec.
    assert own is not None and 0 < own < 128
    del held
