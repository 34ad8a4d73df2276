"""Chinese numerals now live in ``zhtext.numerals``; this name stays for the contacts module's import."""

from __future__ import annotations

from zhtext.numerals import DIGIT_CHARS, cn_to_int, replace_cn_numbers

__all__ = ["DIGIT_CHARS", "cn_to_int", "replace_cn_numbers"]
