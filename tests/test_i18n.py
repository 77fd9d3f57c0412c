"""Chinese by default, English when the locale asks for it: compliance/i18n.py and its catalogue."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from conftest import ROOT

from compliance.errors import InputError
from compliance.i18n import LOCALE, Catalogue, _, language, ngettext, translations
from compliance.load import load
from compliance.models.config import Limits
from compliance.output import OutputError, guard

PO = LOCALE / "en" / "LC_MESSAGES" / "compliance.po"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "C"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ],
)
def test_language_follows_lc_all_then_lc_messages_then_lang(monkeypatch, environment, expected):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert language() == expected


def test_english_comes_from_the_catalogue_and_a_message_without_entry_stays_chinese(english, monkeypatch, tmp_path):
    catalogue = tmp_path / "compliance.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "文件为空"\nmsgstr "empty file"\n\n#, fuzzy\nmsgid "未找到文字"\nmsgstr "no text?"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("compliance.i18n.translations", lambda: Catalogue(catalogue))
    assert _("文件为空") == "empty file"
    assert _("未找到文字") == "未找到文字"  # a fuzzy entry is no translation yet
    assert _("一句没有译文的话") == "一句没有译文的话"


def test_a_chinese_run_reads_no_catalogue_and_imports_no_babel():
    code = "import sys; from compliance.i18n import _; _('文件为空'); assert 'babel' not in sys.modules"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    result = subprocess.run([sys.executable, "-c", code], env=dict(environment, LANG="C.UTF-8"), cwd=ROOT)
    assert result.returncode == 0


def _messages() -> set[str]:
    """Every literal message of the package given to ``_``, ``N_`` or ``ngettext``."""
    found = set()
    for path in (ROOT / "compliance").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_message_has_its_english_and_every_english_its_message():
    catalogue = Catalogue(PO)
    english = catalogue.messages | catalogue.plurals
    assert sorted(_messages() - english.keys()) == [], f"add their English to {PO.relative_to(ROOT)}"
    assert sorted(english.keys() - _messages()) == [], "no longer used: remove them from the catalogue"


def test_english_keeps_the_fields_of_each_message():
    catalogue = Catalogue(PO)
    for message, translation in catalogue.messages.items():
        assert _fields(message) == _fields(translation), message
    for message, forms in catalogue.plurals.items():
        assert all(_fields(message) == _fields(form) for form in forms), message


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_reasons_are_english_when_the_locale_asks(english, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as error:
        load(empty)
    assert error.value.reason == "empty file"
    with pytest.raises(InputError) as error:
        load(tmp_path / "missing.txt")
    assert error.value.reason == "no such file"
    (tmp_path / "report.pdf").write_bytes(b"%PDF" * 10)
    with pytest.raises(InputError) as error:
        load(tmp_path / "report.pdf", Limits(max_input_mb=0.000001))
    assert error.value.reason.startswith("file too large: 0.0 MB, more than 1e-06 MB")
    with pytest.raises(OutputError) as output:
        guard(empty, [empty])
    assert output.value.reason == f"is an input of this run ({empty}); choose another output file"


@pytest.mark.parametrize(("locale", "reason"), [("en_US.UTF-8", "no such file"), ("zh_CN.UTF-8", "文件不存在")])
def test_the_error_line_is_in_the_language_of_the_locale(tmp_path, locale, reason):
    missing = tmp_path / "missing.txt"
    result = subprocess.run(
        [sys.executable, "-m", "compliance", "check", str(missing)],
        env=dict(os.environ, LANG=locale),
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (2, f"compliance: {missing}: {reason}\n")


def test_counts_take_the_english_plural_and_one_chinese_form(english, monkeypatch):
    assert [ngettext("{count} 轮", "{count} 轮", n).format(count=n) for n in (1, 2)] == ["1 round", "2 rounds"]
    translations.cache_clear()
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert ngettext("{count} 轮", "{count} 轮", 2).format(count=2) == "2 轮"


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_every_command_and_option_has_its_help_in_chinese():
    from compliance.cli import main

    commands = [((), main), *_commands(main)]
    helps = {" ".join(path) or "compliance": command.help for path, command in commands}
    helps |= {
        f"{' '.join(path)} {parameter.name}": parameter.help
        for path, command in commands[1:]  # the group's own options (--version) are click's
        for parameter in command.params
        if getattr(parameter, "help", None)
    }
    assert [where for where, text in helps.items() if not (text and re.search(r"[\u4e00-\u9fff]", text))] == []


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("C.UTF-8", "检查政府信息公开工作年度报告。"),
        ("en_US.UTF-8", "Check annual reports on open government information"),
    ],
)
def test_help_is_in_the_language_of_the_locale(locale, expected):
    result = subprocess.run(
        [sys.executable, "-m", "compliance", "--help"],
        env=dict(os.environ, LANG=locale),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and expected in result.stdout


def _compliance(*args: str, locale: str, cache: Path) -> subprocess.CompletedProcess:
    environment = dict(os.environ, LANG=locale, COMPLIANCE_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "compliance", *args], env=environment, capture_output=True, text=True
    )


def test_clicks_own_texts_are_chinese_and_read_from_the_cache_after_the_first_run(tmp_path):
    first = _compliance("check", locale="zh_CN.UTF-8", cache=tmp_path)
    assert first.returncode == 2 and "用法:" in first.stderr and "错误：缺少参数 'FILES...'" in first.stderr
    again = _compliance("--help", locale="zh_CN.UTF-8", cache=tmp_path)
    assert "选项:" in again.stdout and "显示此帮助并退出。" in again.stdout and "显示版本并退出。" in again.stdout
    assert " babel" not in again.stderr  # the compiled catalogue, read by gettext
    assert _compliance("--version", locale="zh_CN.UTF-8", cache=tmp_path).stdout == "compliance, version 0.1.0\n"


def test_clicks_own_texts_are_english_under_an_english_locale(tmp_path):
    result = _compliance("check", locale="en_US.UTF-8", cache=tmp_path)
    assert result.returncode == 2 and "Usage:" in result.stderr
    assert "Error: Missing argument 'FILES...'" in result.stderr
    assert not list(tmp_path.iterdir())  # no catalogue compiled for English
