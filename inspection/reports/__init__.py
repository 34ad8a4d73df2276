"""The monthly assessment (考核) and its `labourwatch report` commands."""
