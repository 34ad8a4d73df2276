"""Text folding shared by crawlers, the risk model and search: width, script and whitespace."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_SPACE = re.compile(r"\s+")
# Runs of CJK ideographs or of ASCII letters/digits: the units bigrams are made from.
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # imported lazily: nothing heavy at import time

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (opencc t2s)."""
    return str(_t2s().convert(text)) if text else text


def fold_text(text: str | None) -> str:
    """Full-width to half-width, traditional to simplified, whitespace collapsed, stripped."""
    if not text:
        return ""
    # NFKC folds full-width ASCII (ＡＢＣ１２３) and compatibility forms (①, ㈠) to plain ones.
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACE.sub(" ", text).strip()


def bigrams(text: str | None) -> str:
    """Space-separated character bigrams (and lower-cased ASCII words) for Chinese search.

    A normal index over bigram tokens finds two-character words such as 童工 and 中介 that
    trigram indexes miss.
    """
    folded = fold_text(text).lower()
    out: list[str] = []
    for token in _TOKEN.findall(folded):
        if token.isascii() or len(token) == 1:
            out.append(token)
        else:
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The bigram tokens a search query must all match (empty when the query has none)."""
    return bigrams(query).split()
