"""Stage 7: the JSON Schema of ``check --format json`` (shipped as compliance/schemas/report.schema.json).

Generated from the report models, then tightened: every field is always written, so every
field is required and no other field may appear."""

from __future__ import annotations

import json

from compliance.models.findings import SEVERITIES, Report
from compliance.resources import schema_path

SCHEMA_FILE = "report.schema.json"
SCHEMA_ID = "urn:ogi-compliance:schema:report:1"


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
    # pydantic titles the schema after the model ("Report"): the title and $id go over it.
    # The project has no public address yet, so the $id is a URN, which names without locating.
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ogi-compliance check report (compliance check --format jsonl), schema_version 1",
        "description": "一份报告草稿的检查结果：来源文件、报告信息、得分与等级、问题清单、未检查项、"
        "要点任务的依据段落。compliance check --format jsonl（或 json）每个草稿输出一行，即一个这样的对象。",
        **schema,
    }


def schema_text() -> str:
    """The shipped file's exact text (`make schema` writes it; a test compares it)."""
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema() -> None:
    schema_path(SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")


if __name__ == "__main__":
    write_schema()
