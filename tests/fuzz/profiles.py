"""Hypothesis profiles: brief in `make test` ("ci"), long in `make fuzz` ("fuzz", driven by run.py).

A module imported by the fuzz tests, not a conftest.py: the suite imports tests/conftest.py as
`conftest`, which a second conftest.py would shadow."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile(
    "fuzz",
    max_examples=500,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
