"""The ad writers: one seeded rng and organisation pool (base), job ads, marriage ads."""
