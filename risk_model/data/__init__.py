"""The model's inputs: the labelled-example shape, listings and JSON lines as records, ORFD, near-duplicates."""
