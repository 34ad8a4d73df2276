"""LabourWatch risk_model: one calibrated, explainable model per risk type (risk_model/README.md).

Layers, each importing only those below it: cli -> ops -> training -> model -> features -> data.
constrained.py and ngram_hash.py sit at the top because model files name their classes by these paths.
"""
