"""Fact kinds about figures stated in prose (extracted by compliance/facts/figures.py)."""

from __future__ import annotations
