"""Stage 7: the JSON Schema of ``check --format json`` (shipped as compliance/schemas/report.schema.json).

Generated from the report models, then tightened: every field is always written, so every
field is required and no other field may appear."""

from __future__ import annotations

import json

from compliance.models.findings import SEVERITIES, Report
from compliance.resources import schema_path

SCHEMA_FILE = "report.schema.json"


def report_schema() -> dict:
    schema = Report.model_json_schema()
    for definition in [schema, *schema.get("$defs", {}).values()]:
        if definition.get("type") == "object" and "properties" in definition:
            definition["required"] = sorted(definition["properties"])
            definition["additionalProperties"] = False
    # counts is a mapping severity → count: all four severities always present.
    counts = schema["$defs"]["Summary"]["properties"]["counts"]
    severities = list(SEVERITIES)
    counts.update(
        {
            "properties": {s: {"type": "integer", "minimum": 0} for s in severities},
            "required": severities,
            "additionalProperties": False,
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "compliance check report, schema_version 1",
        **schema,
    }


def write_schema() -> None:
    schema_path(SCHEMA_FILE).write_text(
        json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write_schema()
