"""LabourWatch store."""
