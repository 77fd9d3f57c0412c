"""What is kept between runs (compliance/cache.py): the validated rulebook and the report parser
are used again by the next process, rebuilt when what they were made from changes, a corrupt entry
is rebuilt, and a run leaves no new file behind; ``--help`` and ``--version`` import nothing of the
pipeline, and a check of a text file nothing of the other formats, fixing, screening or HTML."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, seed_path

from compliance import cache, parse, rulebook
from compliance.resources import rules_dir


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of the test's own."""
    path = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(path))
    return path


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The YAML files the rulebook reads, from now on."""
    read: list[Path] = []
    original = rulebook.read_yaml

    def counted(path: Path):
        read.append(path)
        return original(path)

    monkeypatch.setattr(rulebook, "read_yaml", counted)
    return read


def _entries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}-*.pickle"))


def test_the_folder_is_the_users_cache_unless_given(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.directory().name == "ogi-compliance"
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    assert cache.directory() == tmp_path


def test_the_second_load_reads_no_rule_file(folder, reads):
    first = rulebook.load_rulebook(rules_dir())
    assert reads and len(_entries(folder, "rulebook")) == 1
    reads.clear()
    second = rulebook.load_rulebook(rules_dir())
    assert reads == [] and second == first and second is not first


def test_a_changed_rule_file_is_a_new_rulebook(folder, reads, tmp_path):
    rules = shutil.copytree(rules_dir(), tmp_path / "rules")
    before = rulebook.load_rulebook(rules)
    path = rules / "struct" / "STRUCT-TITLE.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"title: {before.rules['STRUCT-TITLE'].title}", "title: 改过的标题"),
        encoding="utf-8",
    )
    reads.clear()
    after = rulebook.load_rulebook(rules)
    assert reads, "the rules were read again"
    assert after.rules["STRUCT-TITLE"].title == "改过的标题" and after.digest != before.digest
    assert rulebook.load_rulebook(rules) == after  # and kept in turn


def test_a_rule_pack_is_part_of_the_key(folder, reads):
    pack = ROOT / "examples" / "rule-pack"
    shipped, packed = rulebook.load_rulebook(rules_dir()), rulebook.load_rulebook((rules_dir(), pack))
    assert set(packed.rules) > set(shipped.rules) and len(_entries(folder, "rulebook")) == 2
    reads.clear()
    assert rulebook.load_rulebook((rules_dir(), pack)) == packed and reads == []


def test_a_corrupt_entry_is_rebuilt(folder, reads):
    good = rulebook.load_rulebook(rules_dir())
    (entry,) = _entries(folder, "rulebook")
    for damage in (b"", b"not a pickle", entry.read_bytes()[:1000], pickle.dumps({"not": "a rulebook"})):
        entry.write_bytes(damage)
        reads.clear()
        assert rulebook.load_rulebook(rules_dir()) == good
        assert reads, "read again"
        assert isinstance(pickle.loads(entry.read_bytes()), rulebook.Rulebook)  # and stored whole again


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, monkeypatch, reads):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv(cache.ENV, str(blocked / "cache"))  # under a file: no folder can be made
    assert rulebook.load_rulebook(rules_dir()).rules
    reads.clear()
    rulebook.load_rulebook(rules_dir())
    assert reads, "nothing kept, so read again"


def test_old_entries_are_pruned(folder):
    for number in range(cache.KEEP + 3):
        cache.store("thing", f"key{number}", number)
        os.utime(folder / f"thing-key{number}.pickle", (number, number))  # older first
    cache.store("thing", "newest", "n")
    kept = {path.name for path in _entries(folder, "thing")}
    assert len(kept) == cache.KEEP and "thing-newest.pickle" in kept and "thing-key0.pickle" not in kept
    assert cache.load("thing", f"key{cache.KEEP + 2}") == cache.KEEP + 2


def test_the_parser_is_kept_and_parses_the_same(folder, monkeypatch):
    text = seed_path("000").read_text(encoding="utf-8")
    parse.parser.cache_clear()
    built = parse.parse(text)
    assert len(_entries(folder, "parser")) == 1
    parse.parser.cache_clear()
    monkeypatch.setattr(parse, "_build", lambda *a, **k: pytest.fail("built again"))
    assert parse.parse(text) == built
    parse.parser.cache_clear()


def test_a_corrupt_parser_is_rebuilt(folder):
    parse.parser.cache_clear()
    parse.parser()
    (entry,) = _entries(folder, "parser")
    entry.write_bytes(pickle.dumps(b"not a parser"))
    parse.parser.cache_clear()
    assert parse.parse("一、概述\n正文。\n").sections
    parse.parser.cache_clear()


def test_grammar_caches_of_earlier_versions_are_removed_when_the_parser_is_built(folder, tmp_path, monkeypatch):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    old = [temporary / f"compliance-lark-{number}.cache" for number in (1, 22, 333)]
    for path in old:
        path.write_bytes(b"old")
    (temporary / "other.cache").write_bytes(b"not ours")
    parse.parser.cache_clear()
    parse.parser()
    parse.parser.cache_clear()
    assert [path.name for path in temporary.iterdir()] == ["other.cache"]


def _env(tmp_path: Path) -> dict[str, str]:
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    return {**os.environ, cache.ENV: str(tmp_path / "cache"), "TMPDIR": str(temporary)}


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_runs_leave_no_new_files(tmp_path):
    """The first check fills the cache folder (the rulebook, the parser, the data files read as
    models, click's Chinese messages compiled); the next ones add nothing there or in the temporary
    folder (the grammar cache used to add a file there every run)."""
    env = _env(tmp_path)
    command = [sys.executable, "-m", "compliance", "check", str(seed_path("000"))]
    assert subprocess.run(command, env=env, capture_output=True).returncode in (0, 1)
    after_first = _files(tmp_path)
    assert {path.name.split("-")[0] for path in _files(tmp_path / "cache")} == {"rulebook", "parser", "data", "click"}
    for _ in range(2):
        assert subprocess.run(command, env=env, capture_output=True).returncode in (0, 1)
        assert _files(tmp_path) == after_first
    assert not _files(tmp_path / "tmp")


def _modules(tmp_path: Path, *arguments: str) -> set[str]:
    """The modules a ``compliance`` process has imported when the command is done."""
    script = (
        "import sys, json\n"
        "from compliance.cli import main\n"
        "try:\n"
        f"    main({list(arguments)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.__stderr__.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=_env(tmp_path), capture_output=True, text=True)
    return set(json.loads(done.stderr.splitlines()[-1]))


PIPELINE = {"compliance.pipeline", "compliance.commands", "compliance.rulebook", "compliance.load", "compliance.facts"}
LIBRARIES = {"numpy", "docx", "pdfplumber", "pdfminer", "jinja2", "rich", "lark", "yaml", "opencc", "pydantic"}


@pytest.mark.slow
@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_nothing_of_the_pipeline(tmp_path, option):
    modules = _modules(tmp_path, option)
    assert not modules & (PIPELINE | LIBRARIES)


@pytest.mark.slow
def test_a_text_check_imports_no_other_format_nor_fixing_screening_or_html(tmp_path):
    modules = _modules(tmp_path, "check", str(seed_path("000")))
    assert "compliance.pipeline" in modules  # it did check
    assert not modules & {"docx", "pdfplumber", "pdfminer", "rich", "numpy", "compliance.render.html"}
    assert not {m for m in modules if m.startswith(("compliance.fix", "compliance.screen", "compliance.authoring"))}
    # The cache folder filled by the first run, the next reads every data file from it: no YAML.
    assert "yaml" not in _modules(tmp_path, "check", str(seed_path("000")))


def test_a_data_file_read_as_a_model_is_kept_and_read_again_when_it_changes(folder, tmp_path, monkeypatch):
    from compliance import resources
    from compliance.models.rulespec import ScriptLexicon

    parsed: list[Path] = []
    original = resources.parse_yaml
    monkeypatch.setattr(resources, "parse_yaml", lambda data, path: parsed.append(path) or original(data, path))
    path = tmp_path / "script.yaml"
    path.write_text("keep: [建立]\ntraditional_ratio: 0.05\n", encoding="utf-8")
    first = resources.read_model(path, ScriptLexicon)
    assert resources.read_model(path, ScriptLexicon) == first and parsed == [path]  # the second from the cache
    path.write_text("keep: [建立, 文件]\ntraditional_ratio: 0.05\n", encoding="utf-8")
    assert resources.read_model(path, ScriptLexicon).keep == ["建立", "文件"] and parsed == [path, path]


def test_the_kept_rulebook_holds_every_template_compiled_and_a_check_compiles_none(folder, monkeypatch):
    """Rendering a rule's message takes its compiled code from the rulebook (kept in the cache): a
    new process compiles no template — ~1 ms each, a tenth of a first check."""
    from compliance import engine
    from compliance.load import load
    from compliance.pipeline import check_source
    from compliance.rulebook import TEMPLATES, load_rulebook

    first = load_rulebook(rules_dir())
    kept = load_rulebook(rules_dir())  # from the cache folder
    sources = {s for spec in first.rules.values() for s in rulebook._templates(spec).values()}
    assert sources | set(first.not_checked.values()) == set(kept.templates)
    monkeypatch.setattr(engine, "_made", engine._made.__wrapped__)  # nothing made before counts

    def compiling(*arguments, **keywords):
        raise AssertionError("a template was compiled during the check")

    monkeypatch.setattr(TEMPLATES, "precompile", compiling)
    report = check_source(load(str(seed_path("000"))), rulebook=kept)
    assert len(report.findings) > 20 and all(f.message and f.suggestion for f in report.findings)
