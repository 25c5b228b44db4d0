"""Use cases of the cohort record."""
