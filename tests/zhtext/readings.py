"""What the legal finders read in a sentence, for the tests beside them (not a test module)."""

from __future__ import annotations

from risk_model.features.indicators import legal_spans
from zhtext.fold import fold

# Indicators that only colour an agency's ad (a lure word, a private contact): no violation by themselves.
SOFT = frozenset({"lure_words", "contact_off_platform"})


def fired(text: str) -> dict[str, list[str]]:
    """Indicator name -> the phrases it found in TEXT (folded and lower-cased as the model reads it)."""
    return {name: [s.text for s in spans] for name, spans in legal_spans(fold(text).lower()).items() if spans}


def violations(text: str) -> dict[str, list[str]]:
    """``fired`` without the SOFT indicators."""
    return {name: found for name, found in fired(text).items() if name not in SOFT}
