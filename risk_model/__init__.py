"""LabourWatch risk_model."""
