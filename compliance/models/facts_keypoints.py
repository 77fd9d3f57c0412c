"""Fact kinds about key-point documents (工作要点) and the tasks a report addresses."""

from __future__ import annotations
