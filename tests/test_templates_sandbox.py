"""Templates are data, some of it the user's (``notice --templates FILE``): every template is
rendered by Jinja2's immutable sandbox, bounded. What would run code, read private attributes or
use globals is refused when the file is loaded, in one line naming the file and the field; what
would make a huge value, loop or recurse without end stops while rendering, in one line, in well
under a second and without large memory; the shipped templates render as before."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, check_text, source_of

from cli import main
from compliance.errors import RuleFileError
from compliance.pipeline import check_source
from compliance.render.html import _environment as html_environment
from compliance.render.notice import NoticeError, build_notice, load_templates, notice_options
from compliance.resources import rules_dir
from compliance.rulebook import (
    TEMPLATES,
    BoundedSandboxedEnvironment,
    TemplateRenderError,
    check_template,
    default_rulebook,
    load_rulebook,
)
from compliance.screen.summary import _environment as summary_environment

BROKEN = FIXTURES / "report_2021_broken.txt"
OPTIONS = notice_options(issuer="苏州市人民政府办公室", addressee="市XX局", deadline="2022-02-20", date="2022-02-10")
CLI_OPTIONS = ["--from", "苏州市人民政府办公室", "--to", "市XX局", "--deadline", "2022-02-20", "--date", "2022-02-10"]
MARKER = "sandbox-escaped"

# Refused when the wording file is loaded: (template, what the one line says).
REFUSED_AT_LOAD = [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "未知的模板变量 'cycler'"),
    ("{{ joiner.__init__.__globals__.os.popen('id').read() }}", "未知的模板变量 'joiner'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "不允许以 '_' 开头的名称"),
    ("{{ notice.__class__.__mro__[1].__subclasses__()[140].__init__.__globals__['sys'] }}", "不允许以 '_' 开头的名称"),
    ("{{ notice['__class__'] }}", "不允许以 '_' 开头的名称"),
    ("{{ notice|attr('__class__') }}", "不允许以 '_' 开头的名称"),
    ("{{ [notice]|map(attribute='__class__')|list }}", "不允许以 '_' 开头的名称"),
    ("{{ [notice]|selectattr('issuer.__class__')|list }}", "不允许以 '_' 开头的名称"),
    ("{{ '{0.__class__}'.format(notice) }}", "不允许以 '_' 开头的名称"),
    ("{{ range(10**9) }}", "未知的模板变量 'range'"),
    ("{{ lipsum(10**6) }}", "未知的模板变量 'lipsum'"),
    ("{% set ns = namespace(s='A') %}{{ ns.s }}", "未知的模板变量 'namespace'"),
    ("{{ dict(a=1) }}", "未知的模板变量 'dict'"),
    ("{% include 'report.html.j2' %}", "模板不能继承、包含或导入其他模板"),
    ("{% import 'x' as x %}", "模板不能继承、包含或导入其他模板"),
    ("{{ notice.issuer|no_such_filter }}", "模板错误：No filter named 'no_such_filter'"),
    ("{% if notice.issuer is no_such_test %}x{% endif %}", "未知的测试 'no_such_test'"),
    ("{{ notice.no_such_field }}", "notice 没有字段 'no_such_field'"),
]

# Rendered, and stopped: (template, what the one line says).
STOPPED_WHILE_RENDERING = [
    ("{{ 'A'*10**10 }}", "'*' 将产生 10,000,000,000"),
    ("{{ [0]*10**10 }}", "'*' 将产生 10,000,000,000"),
    ("{{ 'A'*10**6*10**6 }}", "'*' 将产生"),
    ("{{ 7**100000 }}", "'**' 将产生超过"),
    ("{{ '{:>999999999}'.format(1) }}", "宽度或精度超过 1000"),
    ("{{ '{:{w}}'.format(1, w=999999999) }}", "宽度或精度超过 1000"),
    ("{{ '{:.999999999f}'.format(1.0) }}", "宽度或精度超过 1000"),
    ("{{ ('{0}'*300000).format('A'*1000000) }}", "str.format 将产生"),
    ("{{ '%999999999d' % 1 }}", "宽度或精度超过 1000"),
    ("{{ '%*d' % (999999999, 1) }}", "格式中有 '*' 宽度或精度"),
    ("{{ '%999999999d'|format(1) }}", "宽度或精度超过 1000"),
    ("{{ 'A'|center(10**9) }}", "center 将产生"),
    ("{{ 'A'.ljust(10**9) }}", "str.ljust 将产生"),
    ("{{ 'A'.zfill(10**9) }}", "str.zfill 将产生"),
    ("{{ 'a\tb'.expandtabs(10**9) }}", "str.expandtabs 将产生"),
    ("{{ 'x'|indent(10**9) }}", "indent 将产生"),
    ("{{ ('A'*1000)|wordwrap(1, wrapstring='B'*100000) }}", "wordwrap 将产生"),
    ("{{ ('A'*10**6).replace('', 'A'*10**6) }}", "replace 将产生"),
    ("{{ ('A'*10**6)|replace('A', 'BB') }}", "replace 将产生"),
    ("{{ ('A'*10**6).translate({65: 'B'*1000}) }}", "str.translate 将产生"),
    ("{{ ('A'*10**6).join(['B', 'C']) }}", "str.join 将产生"),
    ("{{ ['A'*10**6, 'B']|join('C'*10**6) }}", "join 将产生"),
    ("{{ [1]|batch(10**9, 'x')|list }}", "batch 将产生"),
    ("{{ [[0]*1000]*1000|sum(start=[]) }}", "sum 只能从数字开始求和"),
    ("{{ {'a': 1}|tojson(indent=10**9) }}", "tojson 的缩进超过"),
    ("{% set s = 'A'*10**6 %}{{ s ~ s }}", "'~' 将产生"),
    ("{% set s = 'A'*10**6 %}{{ s + s }}", "'+' 将产生"),
    ("{% set s %}{% for c in 'x'*2000 %}{{ 'A'*1000 }}{% endfor %}{% endset %}{{ s|length }}", "一个块 将产生"),
    ("{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{{ twice(twice(twice('A'*300000))) }}", "将产生"),
    ("{{ 'A'*600000 }}{{ 'A'*600000 }}", "输出将超过 1,000,000 个字符"),
    ("{% for a in 'x'*100000 %}{% for b in 'x'*100000 %}{% endfor %}{% endfor %}", "循环和调用超过"),
    (
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "循环和调用超过",
    ),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("{{ notice.issuer.__class__ }}", "unsafe"),
    ("{{ cycler.__init__.__globals__.os.popen('echo " + MARKER + "').read() }}", "unsafe"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ notice.issuer.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ [1, 2].append(3) }}", "unsafe"),
    ("{{ range(10**9) }}", "range() 超过 10,000 个数"),
    ("{{ range(10**30)|list }}", "range() 超过 10,000 个数"),
    ("{{ lipsum(10**6) }}", "'lipsum' is undefined"),
    ("{{ notice.nothing.deeper }}", "has no attribute 'nothing'"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
]


def wording_with(tmp_path: Path, closing: str) -> Path:
    """The shipped wording file with its closing sentence replaced by ``closing``."""
    text = (rules_dir() / "notice" / "notice.yaml").read_text(encoding="utf-8")
    quoted = closing.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    path = tmp_path / "wording.yaml"
    path.write_text(text.replace("closing: 特此通知。", f'closing: "{quoted}"'), encoding="utf-8")
    return path


def raised_by(function, *args) -> Exception | None:
    try:
        function(*args)
    except Exception as error:  # noqa: BLE001 — the test looks at what it is
        return error
    return None


def timed(function, *args) -> tuple[Exception | None, float]:
    """What ``function`` raises, and its time."""
    start = time.perf_counter()
    raised = raised_by(function, *args)
    return raised, time.perf_counter() - start


def traced(function, *args) -> tuple[Exception | None, int]:
    """What ``function`` raises, and its peak of Python memory (tracemalloc slows it down)."""
    tracemalloc.start()
    try:
        raised = raised_by(function, *args)
        return raised, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def report():
    return check_source(source_of(BROKEN.read_text(encoding="utf-8"), str(BROKEN)))


@pytest.mark.parametrize(("closing", "said"), REFUSED_AT_LOAD, ids=[c for c, _ in REFUSED_AT_LOAD])
def test_a_wording_file_that_escapes_the_sandbox_is_refused_at_load(tmp_path, closing, said):
    path = wording_with(tmp_path, closing)
    raised, elapsed = timed(load_templates, path)
    assert isinstance(raised, RuleFileError), raised
    message = str(raised)
    assert "\n" not in message and message.startswith(f"{path} closing: ") and said in message
    assert elapsed < 1


@pytest.mark.parametrize(("closing", "said"), STOPPED_WHILE_RENDERING, ids=[c for c, _ in STOPPED_WHILE_RENDERING])
def test_a_template_that_would_make_too_much_stops_in_one_line(report, closing, said):
    """Rendered as a notice's closing sentence (through the environment, so the load-time check,
    which refuses many of these first, is not what stops them)."""
    templates = load_templates().model_copy(update={"closing": closing})
    raised, elapsed = timed(build_notice, report, OPTIONS, templates)
    assert isinstance(raised, NoticeError), raised
    message = str(raised)
    assert "\n" not in message and message.startswith("notice wording closing: ") and said in message, message
    assert elapsed < 1


ENDLESS = [c for c, said in STOPPED_WHILE_RENDERING if "循环和调用" in said or "Recursion" in said]


@pytest.mark.parametrize("source", [c for c, _ in STOPPED_WHILE_RENDERING if c not in ENDLESS])
def test_a_template_stops_without_large_memory(source):
    raised, peak = traced(TEMPLATES.from_string(source).render, {"notice": OPTIONS})
    assert isinstance(raised, TemplateRenderError), raised
    assert peak < 40_000_000, peak  # the largest value a template may make is 1 000 000 characters


@pytest.mark.parametrize("source", ENDLESS)
def test_endless_loops_and_recursion_stop_well_under_a_second(source):
    start = time.perf_counter()
    with pytest.raises(TemplateRenderError):
        TEMPLATES.from_string(source).render()
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ 'A'*600000 }}{{ 'A'*600000 }}", "the output would be longer than 1,000,000 characters"),
        ("{{ range(10**9) }}", "range() of more than 10,000 numbers"),
        ("{% set s %}{{ 'A'*600000 }}{{ 'A'*600000 }}{% endset %}{{ s|length }}", "a block would make 1,200,000"),
    ],
)
def test_a_limit_reads_in_english_under_an_english_locale(english, source, reason):
    with pytest.raises(TemplateRenderError) as error:
        TEMPLATES.from_string(source).render()
    assert error.value.reason.startswith(reason)


def test_the_cycler_payload_runs_no_command(tmp_path):
    """Through the command, as issue 14 found it: `notice --templates FILE` ran `id`."""
    witness = tmp_path / "witness"
    path = wording_with(tmp_path, f"{{{{ cycler.__init__.__globals__.os.popen('touch {witness}').read() }}}}")
    result = CliRunner().invoke(
        main, ["notice", str(BROKEN), *CLI_OPTIONS, "--templates", str(path), "-o", str(tmp_path / "n.md")]
    )
    assert result.exit_code == 2 and not witness.exists() and not (tmp_path / "n.md").exists()
    assert result.output.strip().count("\n") == 0 and "未知的模板变量 'cycler'" in result.output


def test_a_subclasses_chain_writes_no_file(tmp_path):
    target = tmp_path / "written"
    chain = (
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'FileIO' %}"
        f"{{{{ c('{target}', 'w') }}}}{{% endif %}}{{% endfor %}}"
    )
    result = CliRunner().invoke(
        main,
        [
            "notice",
            str(BROKEN),
            *CLI_OPTIONS,
            "--templates",
            str(wording_with(tmp_path, chain)),
            "-o",
            str(tmp_path / "n.md"),
        ],
    )
    assert result.exit_code == 2 and "不允许以 '_' 开头的名称" in result.output and not target.exists()
    with pytest.raises(TemplateRenderError, match="unsafe"):  # and the sandbox holds when rendered anyway
        TEMPLATES.from_string(chain).render()
    assert not target.exists()


def test_a_rule_file_that_escapes_the_sandbox_is_refused_at_load(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    rule = root / "struct" / "STRUCT-TITLE.yaml"
    data = yaml.safe_load(rule.read_text(encoding="utf-8"))
    data["message"] = "{{ fact.__class__.__mro__[1].__subclasses__() }}"
    rule.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    raised, elapsed = timed(load_rulebook, root)
    assert isinstance(raised, RuleFileError) and elapsed < 5
    assert str(raised).startswith(f"{rule} [STRUCT-TITLE] message: 模板读取 '__")


def test_check_template_refuses_private_names_and_globals_in_rule_templates():
    allowed = {"fact": {"text"}, "doc": None}
    for source in ("{{ fact.__class__ }}", "{{ doc._private }}", "{{ range(3) }}", "{{ cycler }}", "{{ fact['_x'] }}"):
        with pytest.raises(RuleFileError, match=r"^rules/x\.yaml \[R\] message: "):
            check_template(source, allowed, Path("rules/x.yaml"), "message", "R")
    # What the shipped rules use stays allowed: set, dict literals, filters, conditions.
    check_template(
        "{% set l = {'a': 'b'}[fact.text] %}{{ l }}{{ [fact.text]|select|join('、') }}{% if doc.x %}1{% endif %}",
        allowed,
        Path("rules/x.yaml"),
        "message",
        "R",
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh", "模板无法渲染：'*' 将产生"),
        ("en", "template not rendered: '*' would make 10,000,000,000 characters or items"),
    ],
)
def test_a_rule_template_that_fails_while_rendering_is_one_line_naming_the_rule(request, language, said):
    if language == "en":
        request.getfixturevalue("english")
    rulebook = default_rulebook()
    spec = rulebook.rules["STRUCT-TITLE"]
    bad = dataclasses.replace(
        rulebook, rules={**rulebook.rules, spec.id: spec.model_copy(update={"message": "{{ 'A'*10**10 }}"})}
    )
    with pytest.raises(RuleFileError) as raised:
        check_source(source_of("府\n\n报告"), rulebook=bad)
    message = str(raised.value)
    assert "\n" not in message and f"[STRUCT-TITLE] message: {said}" in message
    assert message.startswith(str(rulebook.paths["STRUCT-TITLE"]))


def test_every_environment_the_project_renders_with_is_the_bounded_sandbox():
    from compliance.render import notice

    for environment in (TEMPLATES, notice._ENV, html_environment(), summary_environment()):
        assert isinstance(environment, BoundedSandboxedEnvironment)
    assert html_environment().autoescape is True and summary_environment().autoescape("summary.html.j2")
    assert TEMPLATES.autoescape is False and notice._ENV.autoescape is False


def test_no_unsandboxed_environment_is_left_in_the_code():
    """The check the issue names: `Environment(` outside `Sandboxed` in compliance/ and cli.py."""
    found = subprocess.run(
        ["grep", "-rn", "Environment(", str(ROOT / "compliance"), str(ROOT / "cli.py")], capture_output=True, text=True
    ).stdout.splitlines()
    assert [line for line in found if "Sandboxed" not in line] == []


def plain_environment():
    """What rendered the templates before the sandbox."""
    from jinja2 import Environment, StrictUndefined

    from compliance.render import notice

    plain = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    plain.filters.update(cn_date=notice._cn_date, sentence=notice._sentence)
    return plain


@pytest.mark.parametrize(
    "draft",
    [
        BROKEN,
        FIXTURES / "report_2021.txt",
        FIXTURES / "report_2019.txt",
        ROOT / "samples" / "suzhou-2018.txt",
        ROOT / "samples" / "draft-2021.txt",
    ],
)
def test_rule_messages_are_what_they_were_before_the_sandbox(monkeypatch, draft):
    """Every finding's message, suggestion and edit, rendered by the sandbox, is what a plain
    environment made of the same templates."""
    import compliance.engine as engine

    if not draft.exists():
        pytest.skip(f"{draft} is not here")
    text = draft.read_text(encoding="utf-8")
    sandboxed = check_text(text)
    plain = plain_environment()
    monkeypatch.setattr(engine, "_template", lambda source, rulebook: plain.from_string(source))
    assert check_text(text).model_dump() == sandboxed.model_dump()


def test_notice_sentences_are_what_they_were_before_the_sandbox(report):
    from compliance.render import notice

    plain = plain_environment()
    context = {
        "doc": report.document,
        "summary": report.summary,
        "notice": OPTIONS,
        "report_title": "某报告",
        "total": 3,
        "ordinal": "一",
        "heading": "问题",
        "count": 2,
        "finding": report.findings[0],
        "excerpt": "原文",
    }
    for field, source in notice._template_fields(load_templates().model_dump()):
        assert notice._ENV.from_string(source).render(context) == plain.from_string(source).render(context), field


def test_a_wording_file_in_a_child_process_cannot_exhaust_memory(tmp_path):
    """Under an address-space limit of 1 GiB, the payloads stop for their limits, not for memory."""
    script = f"""
import resource, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from compliance.rulebook import TEMPLATES, TemplateRenderError
for source in ["{{{{ 'A'*10**10 }}}}", "{{{{ '{{:>999999999}}'.format(1) }}}}", "{{{{ range(10**9)|list }}}}"]:
    try:
        TEMPLATES.from_string(source).render()
    except TemplateRenderError as error:
        assert "MemoryError" not in error.reason, error.reason
        print(error.reason)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    ("source", "fact"),
    [
        ("{{ fact.count }}", {"count": 3}),  # an item
        ("{{ fact.items }}", {"items": 1}),  # a name of dict's own: the method, as before
        ("{{ fact.get('count') }}", {"count": 3}),
        ("{{ fact.missing is defined }}", {"count": 3}),
        ("{{ fact.__class__ is defined }}", {}),  # refused, as before
        ("{{ fact.count.real }}", {"count": 3}),  # an attribute of what an item holds
    ],
)
def test_a_dict_reads_in_a_template_as_the_sandbox_read_it(source, fact):
    """Rule templates read their ``fact`` and ``doc`` dicts by item without trying an attribute
    first: the same values (and refusals) as Jinja2's sandbox."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    sandbox = ImmutableSandboxedEnvironment()
    assert TEMPLATES.from_string(source).render(fact=fact) == sandbox.from_string(source).render(fact=fact)


def test_a_missing_item_in_a_rule_template_is_an_error():
    with pytest.raises(TemplateRenderError, match="missing"):
        TEMPLATES.from_string("{{ fact.missing }}").render(fact={"count": 3})
