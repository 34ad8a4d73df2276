"""Search keys over folded text (``zhtext.fold``): character bigrams, and ``fold_text`` under its old name."""

from __future__ import annotations

import re

from zhtext.fold import fold, fold_join, to_simplified

__all__ = ["bigrams", "fold_join", "fold_text", "query_terms", "search_terms", "to_simplified"]

# Runs of CJK ideographs or of ASCII letters/digits: the units bigrams are made from.
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def fold_text(text: str | None) -> str:
    """Full-width to half-width, traditional to simplified, whitespace collapsed: ``zhtext.fold.fold``."""
    return fold(text)


def bigrams(text: str | None) -> str:
    """Space-separated character bigrams (and lower-cased ASCII words) for Chinese search.

    A normal index over bigram tokens finds two-character words such as 童工 and 中介 that
    trigram indexes miss.
    """
    return folded_bigrams(fold_text(text))


def search_terms(*parts: str | None) -> str:
    """``bigrams`` of PARTS joined by spaces, each part folded once (``fold_join``): a listing's
    title, employer and body, whose body the normalisers have just folded."""
    return folded_bigrams(fold_join(parts))


def folded_bigrams(folded: str) -> str:
    """``bigrams`` of text folded already."""
    folded = folded.lower()
    out: list[str] = []
    for token in _TOKEN.findall(folded):
        if token.isascii() or len(token) == 1:
            out.append(token)
        else:  # each character joined to the next: 童工中介 -> 童工 工中 中介
            out.extend(map(str.__add__, token, token[1:]))
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The bigram tokens a search query must all match (empty when the query has none)."""
    return bigrams(query).split()
