"""Tables for spreadsheets (screening's summary.csv, the workspace's exports): CSV as UTF-8 with a
byte-order mark, which Excel needs to read Chinese, and text that a spreadsheet would take for a
formula ("=…", "+…", "-…", "@…") written as text — file names, issuers and messages come from
the drafts, which are hostile."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: Any) -> Any:
    """A string a spreadsheet would run as a formula, quoted; anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The rows under their header as CSV (utf-8-sig); None an empty cell."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if v is None else as_text(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")
