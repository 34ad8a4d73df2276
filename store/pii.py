"""Personal data detection and masking: the old import path of ``zhtext.pii`` and ``zhtext.contacts``.

Callers import ``zhtext`` directly; this re-export stays only until ``risk_model.features.indicators`` (its last
user) imports ``zhtext.contacts.mobile_numbers``, then goes.
"""

from __future__ import annotations

from zhtext.contacts import Mention, mobile_numbers
from zhtext.pii import find_pii, is_valid_id_number, mask_id_number, mask_phone, mask_text

PiiMatch = Mention

__all__ = [
    "PiiMatch",
    "find_pii",
    "is_valid_id_number",
    "mask_id_number",
    "mask_phone",
    "mask_text",
    "mobile_numbers",
]
