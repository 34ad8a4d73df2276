"""Deterministic synthetic demo data: ads with ground truth, and (later) the database demo builder."""
