"""Training and judging models: training data, hold-out fit, candidates, honest metrics, label audits."""
