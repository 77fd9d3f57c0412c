"""How a text ends (compliance/facts/completeness.py): the ``document_end`` observation, and the cut
the extractor reads from it to leave what would follow unchecked, which must be the cut
STRUCT-TRUNCATED's condition (rules/struct/STRUCT-TRUNCATED.yaml) finds."""

from __future__ import annotations

import itertools

from conftest import source_of

from compliance.engine import engine_for
from compliance.facts.completeness import _cut
from compliance.models.facts import DocumentEndFact, DocumentFact
from compliance.pipeline import describe_source
from compliance.rulebook import default_rulebook

_DOCUMENT = DocumentFact(
    year=2021,
    year_plus_1=2022,
    regime="ogi2019",
    regime_label="",
    issuer="某局",
    issuer_kind="department",
    script="simplified",
).model_dump()


def test_the_extractor_reads_the_cut_the_rule_finds():
    engine = engine_for(default_rulebook())
    lasts = ("heading", "table", "open_sentence", "sentence", "other")
    for last, closed, reached, after in itertools.product(lasts, (False, True), (0, 1, 3, 6), (0, 1, 2, 3, 5)):
        end = DocumentEndFact(last=last, closed=closed, parts_reached=reached, parts_after=after, part="", last_text="")
        fired = any(rule == "STRUCT-TRUNCATED" for rule, _ in engine.run([_DOCUMENT, end.model_dump()]))
        assert fired == bool(_cut(last, closed, reached, after)), (last, closed, reached, after)


def _end(text: str) -> DocumentEndFact:
    (end,) = [f for f in describe_source(source_of(text))[1] if f.kind == "document_end"]
    return end


def test_every_ending_is_observed_cut_or_not():
    head = "某局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我局主动公开政府信息152条。\n"
    whole = (
        head
        + "五、存在的主要问题及改进情况\n主要问题是解读形式单一。\n六、其他需要报告的事项\n无。\n某局\n2022年1月20日\n"
    )
    end = _end(whole)
    assert (end.last, end.closed, end.parts_reached, end.parts_after) == ("sentence", True, 6, 0)
    assert end.part == "六、其他需要报告的事项" and end.last_text == "无。"
    end = _end(head + "二、主动公开政府信息情况\n本年制发规范性文件3件，")
    assert (end.last, end.closed, end.parts_reached, end.parts_after) == ("open_sentence", False, 2, 4)
    assert _cut(end.last, end.closed, end.parts_reached, end.parts_after) == "sentence"
