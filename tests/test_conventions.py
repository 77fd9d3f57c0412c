"""The conventions of the linters users know (ruff, yamllint, sqlfluff, Vale), each as a user meets
it on the command line (issue 15): selections, colour, standard input, folders, CI formats,
verbosity."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import seed_path

from cli import main


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def rules_of(result) -> set[str]:
    return {f["rule"] for f in json.loads(result.output)["findings"]}


@pytest.mark.parametrize(
    ("option", "value", "closest"),
    [
        ("--select", "STRCT", "STRUCT"),  # a family mistyped
        ("--ignore", "STYLE-PUNT", "STYLE-PUNCT"),  # a rule mistyped
        ("--select", "STRUCT,TIMEX", "TIME"),  # one of a list
    ],
)
def test_an_unknown_selection_is_an_error_naming_the_closest_rules(option, value, closest):
    result = run("check", option, value, seed_path("003"))
    assert result.exit_code == 2
    assert f"{option} {value.split(',')[-1]}：没有这个规则编号、规则族或规则名" in result.output
    assert closest in result.output.split("最接近的：")[1]


def test_an_unknown_selection_in_the_configuration_is_an_error(tmp_path):
    config = tmp_path / "compliance.toml"
    config.write_text('select = ["STRUCT", "TIMEE"]\n', encoding="utf-8")
    result = run("check", "--config", config, seed_path("003"))
    assert result.exit_code == 2 and "--select TIMEE" in result.output


def test_comma_separated_selections_are_several():
    repeated = run("check", "--format", "json", "--select", "STRUCT", "--select", "TIME", seed_path("003"))
    for listed in ("STRUCT,TIME", "STRUCT, TIME", "STRUCT，TIME"):
        assert rules_of(run("check", "--format", "json", "--select", listed, seed_path("003"))) == rules_of(repeated)
    found = rules_of(repeated)
    assert found and all(rule.startswith(("STRUCT-", "TIME-")) for rule in found)
    ignored = rules_of(run("check", "--format", "json", "--ignore", "STYLE,STRUCT", seed_path("000")))
    assert ignored and not any(rule.startswith(("STYLE-", "STRUCT-")) for rule in ignored)
