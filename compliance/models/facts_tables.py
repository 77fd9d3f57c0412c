"""Fact kinds about the format tables and the figures stated in prose (compliance/facts/tables.py)."""

from __future__ import annotations
