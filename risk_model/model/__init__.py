"""The model itself: the calibrated pipeline per risk type, its verified files, its exact explanations."""
