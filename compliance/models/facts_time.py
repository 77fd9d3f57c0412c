"""Fact kinds about years and dates (extracted by compliance/facts/time.py)."""

from __future__ import annotations
