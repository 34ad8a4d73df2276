"""Running models: train and promote, champion and rollback, scoring, comparison, drift, reports, active learning."""
