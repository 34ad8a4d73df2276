"""Demo rows in the database: the demo accounts (users) and deterministic case data (cases) for tests and benches.

The ads themselves come from the synthetic_ads package; this package only writes rows.
"""
