"""What the draft is (compliance/facts/document.py): what it infers when the draft does not say,
in the sentences of rules/lexicon/document.yaml."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import check_text

from compliance.errors import RuleFileError
from compliance.facts import document
from compliance.resources import rules_dir
from compliance.rulebook import default_rulebook


def _inferred(text: str, **context) -> dict[str, str]:
    return check_text(text, **context).document.inferred


def test_year_and_issuer_from_the_text_say_where_they_were_found():
    text = (
        "政府信息公开工作年度报告\n一、总体情况\n本报告统计期限为2021年1月1日至2021年12月31日。\n"
        "二、其他\n本年度未收取费用。\n苏州市交通运输局\n2022年1月20日\n"
    )
    assert _inferred(text) == {
        "issuer": "标题未写明发布机关，取自报告的落款",
        "year": "标题未写明年度，取自正文所述的统计期限",
    }


def test_no_title_at_all_and_the_voice():
    text = "一、总体情况\n2021年，我局公开信息50条，我局认真落实条例。\n二、其他\n我局未收取费用。\n"
    assert _inferred(text) == {
        "year": "标题未写明年度，取正文开头出现最多的年份",
        "issuer_kind": "按报告的自称（我市、全市或我办、我局）判断",
    }


def test_the_regime_when_the_year_is_unknown():
    text = "政府信息公开工作年度报告\n一、总体情况\n本局落实条例。\n"
    assert _inferred(text)["regime"] == "报告年度不明，按现行规定（2019年条例、2021年格式）检查"


def test_every_sentence_and_source_renders():
    rulebook = default_rulebook()
    words, _ = document.wording(rulebook.root)
    for key in words.inferred:
        for source in words.sources:
            said = document._said(rulebook, key, titled=True, source=source)
            assert said and "{" not in said
    assert document._said(rulebook, "issuer", titled=False, source="signature") == "报告没有标题，取自报告的落款"
    with pytest.raises(RuleFileError, match="no-such"):
        document._said(rulebook, "no-such")


def test_a_bad_sentence_is_refused_naming_the_file_and_key(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    path = root / "lexicon" / "document.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["inferred"]["year"] = "标题未写明年度，{{ rulebook.root }}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        document.wording(root)
    assert str(path) in str(error.value) and "inferred.year" in str(error.value) and "rulebook" in str(error.value)
