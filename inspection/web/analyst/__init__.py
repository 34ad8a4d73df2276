"""Analyst pages: model versions, drift, and the model actions (compare, promote, roll back)."""
