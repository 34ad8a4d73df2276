"""Phrase banks of the ad writers: job ads, forced-labour wording, marriage ads."""
