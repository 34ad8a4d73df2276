"""LabourWatch inspection."""
