"""Stage 6: the grading policy of rules/grading.yaml, on findings made up for it and on real drafts."""

from __future__ import annotations

from conftest import check_text, seed_text

from compliance.grade import fails, grade, grades
from compliance.models.config import Config
from compliance.models.findings import Finding
from compliance.rulebook import default_rulebook

GRADING = default_rulebook().grading


def _findings(*pairs: tuple[str, str, int]) -> list[Finding]:
    """(rule, severity, how many) → that many findings."""
    return [
        Finding(
            rule=rule, severity=severity, message="m", basis="b", line=1, start=0, end=1, excerpt="x", suggestion="s"
        )
        for rule, severity, count in pairs
        for _ in range(count)
    ]


def test_weights_add_up_within_a_rule_up_to_its_cap():
    assert grade(_findings(("STRUCT-PART-HEADING", "major", 2)), GRADING, Config()).score == 90
    assert grade(_findings(("STRUCT-PART-HEADING", "major", 7)), GRADING, Config()).score == 80  # 35 capped at 20


def test_minor_findings_together_cost_at_most_their_severity_cap():
    many = _findings(("STYLE-PUNCT", "minor", 40), ("STYLE-ORDINAL", "minor", 12), ("STYLE-CONTACT", "minor", 3))
    summary = grade(many, GRADING, Config())
    assert summary.score == 85 and summary.grade == "基本合格"
    assert summary.counts == {"critical": 0, "major": 0, "minor": 55, "info": 0}
    # The cap is on minor findings only: a major finding still deducts in full beside them.
    assert grade(many + _findings(("STYLE-SCRIPT", "major", 1)), GRADING, Config()).score == 80


def test_info_never_deducts_and_any_critical_fails():
    assert grade(_findings(("CALC-BREAKDOWN", "info", 9)), GRADING, Config()).grade == "合格"
    one_critical = grade(_findings(("CALC-SUM", "critical", 1)), GRADING, Config())
    assert one_critical.score == 80 and one_critical.grade == "不合格"
    lenient = Config.model_validate({"critical-fails": False})
    assert grade(_findings(("CALC-SUM", "critical", 1)), GRADING, lenient).grade == "基本合格"


def test_configured_levels_replace_the_shipped_ones():
    strict = Config.model_validate(
        {"grade-levels": [{"grade": "优", "min_score": 95}, {"grade": "差", "min_score": 0}]}
    )
    assert grade(_findings(("STRUCT-TITLE", "major", 1)), GRADING, strict).grade == "优"  # 95
    assert grade(_findings(("STRUCT-TITLE", "major", 1), ("TIME-DATE", "minor", 1)), GRADING, strict).grade == "差"
    assert grade([], GRADING, strict).grade == "优"


def test_a_report_with_only_faults_of_form_is_not_failed_for_them():
    # Seed 000 (苏州 2018): Traditional script (major) and dozens of half-width marks and "(一)"
    # ordinals (minor), nothing that breaks the regulation.
    report = check_text(seed_text("000"))
    assert report.summary.counts["critical"] == 0 and report.summary.counts["minor"] > 15
    assert report.summary.grade == "基本合格"


def test_failing_means_the_lowest_level_or_a_critical_finding():
    strict = Config.model_validate(
        {"grade-levels": [{"grade": "优", "min_score": 95}, {"grade": "差", "min_score": 0}]}
    )
    assert grades(GRADING, Config()) == ["合格", "基本合格", "不合格"]
    assert grades(GRADING, strict) == ["优", "差", "不合格"]  # a critical finding still gives 不合格
    for config in (Config(), strict):
        assert fails(grade(_findings(("CALC-SUM", "critical", 1)), GRADING, config), GRADING, config)
        assert not fails(grade([], GRADING, config), GRADING, config)
    low = _findings(("STRUCT-TITLE", "major", 4), ("STRUCT-PART-ORDER", "major", 4))  # 100 − 40
    assert fails(grade(low, GRADING, strict), GRADING, strict) and fails(
        grade(low, GRADING, Config()), GRADING, Config()
    )
