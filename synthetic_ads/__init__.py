"""Synthetic Chinese job and matchmaking ads with their ground truth (indicators, labels, organisations).

Pure Python, deterministic for a seed, and no database: the demo web's boards, the demo registries and
the risk model's training corpus are all written from it. It sits below store/, crawlers/ and risk_model/
and imports only zhtext and the standard library (an import-linter contract in pyproject.toml).

- ``ads``: the public entry points (``generate_ads``, ``generate_extra_ads``, ``generate_labelled_corpus``,
  ``organisations``) and the law behind each indicator;
- ``ground_truth``: the ``Ad`` record, indicator names and the label rules;
- ``organisations``: the actors behind the ads; ``ad_parts``: places, registry numbers, contacts, pay and
  age wording;
- ``writers/``: the job and marriage ad writers; ``phrases/``: their phrase banks.
"""
