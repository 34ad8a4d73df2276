"""LabourWatch crawlers."""
