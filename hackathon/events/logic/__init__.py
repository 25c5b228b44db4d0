"""The events feature's pure modules: reading spreadsheets."""
