"""Patterns that scan fast: a leading lookahead of every character a match can start with.

Python's re tries every branch of a pattern at every position of the text; a pattern whose branches begin
with lookbehinds or alternations gets no help from its first characters. A lookahead of those characters
in front lets the scan pass over the rest of the text in C: the indicator patterns scan an ad 3-9x faster
(docs/model.md). ``FIRST`` must hold every character a match can begin with; tests/zhtext/test_scan.py
reads each pattern's structure and checks it, so a pattern changed without its ``FIRST`` fails there.
"""

from __future__ import annotations

import re

# Every pattern made by ``led``, for the test: compiled -> (FIRST, CLASSES, the pattern as written, flags).
LED: dict[re.Pattern[str], tuple[str, str, str, int]] = {}


def led(first: str, pattern: str, flags: int = 0, *, classes: str = "") -> re.Pattern[str]:
    """PATTERN compiled with a leading lookahead of FIRST: the same matches, found faster.

    CLASSES adds whole character classes a match may start with (``\\d``, ``\\s``), as the pattern
    means them (every Unicode digit or space). With re.IGNORECASE, FIRST holds either case of a letter.
    """
    chars = "".join("\\" + char if char in "\\]^-[" else char for char in first)
    compiled = re.compile(f"(?=[{chars}{classes}])(?:{pattern})", flags)
    LED[compiled] = (first, classes, pattern, flags)
    return compiled
