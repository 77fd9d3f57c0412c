"""Pydantic data models exchanged between pipeline stages (no logic beyond small accessors)."""
