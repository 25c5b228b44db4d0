"""The cohort record's own tables: what the events do not already hold about a person."""

from __future__ import annotations
