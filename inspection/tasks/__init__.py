"""Inspection tasks: generation from risk scores, routing, must-inspect rules, the workflow and its actions."""
