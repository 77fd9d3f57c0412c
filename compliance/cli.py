"""The ``compliance`` command: its options, handed by name to compliance/commands.py, which does
the work and says the exit status; a ``ComplianceError`` → one line on stderr and exit status 2.

This module imports click and nothing of the pipeline: ``compliance --help`` and ``--version``
start in a blink. A command imports compliance/commands.py when it runs, and the values of a
choice (severities, formats, engines) are read from the module that names them when click first
needs them (a value to check, a command's own ``--help``)."""

from __future__ import annotations

import gettext
import importlib
import io
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from compliance.errors import ComplianceError
from compliance.i18n import LOCALE, _, install_click, language

PATH, FILE = click.Path(path_type=Path), click.Path(dir_okay=False, path_type=Path)
DIR = click.Path(exists=True, file_okay=False, path_type=Path)


class Commands(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ComplianceError as error:  # unreadable input; a bad option, rule pack or configuration
            from compliance.commands import EXIT_ERROR

            click.echo(f"compliance: {error}", err=True)
            sys.exit(EXIT_ERROR)


class Named(click.Choice):
    """A choice among the values a module names (``"compliance.models.findings:SEVERITIES"``),
    read from it when click first asks for them, so that declaring the option imports nothing."""

    def __init__(self, where: str, *more: str, case_sensitive: bool = True):
        self.where, self.more, self.case_sensitive = where, more, case_sensitive
        self._choices: tuple[str, ...] | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            module, name = self.where.split(":")
            self._choices = (*getattr(importlib.import_module(module), name), *self.more)
        return self._choices

    @choices.setter
    def choices(self, values: Iterable[str]) -> None:
        self._choices = tuple(values)


def options(*decorators):
    """Several click options as one decorator, in the order given."""

    def decorate(function):
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return decorate


FAIL_ON = click.option(
    "--fail-on",
    type=Named("compliance.models.findings:SEVERITIES"),
    help=_("使退出状态为 1 的最低严重程度 [默认：critical]。"),
)
# What the draft may not say of itself.
DRAFT = options(
    click.option("--year", type=click.IntRange(1990, 2100), help=_("报告年度（优先于报告稿中写的年度）。")),
    click.option("--issuer-kind", type=click.Choice(["government", "department"]), help=_("发布机关的类别。")),
    click.option(
        "--regime", type=click.Choice(["ogi2007", "ogi2019-trial", "ogi2019"]), help=_("对照检查的制度版本。")
    ),
    click.option(
        "--force",
        is_flag=True,
        help=_("即使看起来是别的文件（工作要点、通知），也按年度报告检查。"),
    ),
)
PACKS = options(
    click.option(
        "--rules",
        "rule_packs",
        multiple=True,
        metavar="DIR",
        type=DIR,
        help=_("在自带规则之外加载的规则包（规则文件、依据、提及集）；可重复；取代配置中的 `rules`。"),
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=_("配置文件。"),
    ),
)
RULES = options(
    click.option("--select", multiple=True, help=_("只检查这些规则（编号、类别前缀或名称）。")),
    click.option("--ignore", multiple=True, help=_("跳过这些规则（编号、类别前缀或名称）。")),
    PACKS,
    click.option(
        "--engine",
        type=Named("compliance.engine.backends:ENGINES"),
        help=_("规则引擎（结果相同）：durable-rules（Python 3.13+ 上不可用）或 python [默认：已安装时用 durable]。"),
    ),
)
# Who signs a review copy's comments and tracked changes (annotate, screen --annotate).
REVIEWER = options(
    click.option("--author", help=_("批注和修订署名的审阅人 [默认：合规检查]。")),
    click.option("--initials", help=_("审阅人的缩写 [默认：审阅人的第一个字]。")),
)
KEYPOINTS = _("对照检查的工作要点：自带清单的名称、清单 .yaml/.json 文件，或工作要点文件本身。")


@click.group(
    cls=Commands, context_settings={"help_option_names": ["-h", "--help"]}, help=_("检查政府信息公开工作年度报告。")
)
@click.version_option(package_name="ogi-compliance", help=_("显示版本并退出。"))
def main() -> None:
    """The commands; each one's help, like every message, is Chinese unless the locale asks for English."""


@main.command(
    help=_(
        "检查报告稿（FILES：文件、文件夹，或 - 表示标准输入）；"
        "有问题达到 --fail-on 时退出状态为 1，有输入无法读取时为 2。"
    )
)
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option(
    "--format", "output_format", type=Named("compliance.render:FORMATS", "sarif"), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=PATH,
    help=_("写到这里而不是标准输出；多个文件的 html 写到一个文件夹（每个文件一个 NAME.html）。"),
)
@options(FAIL_ON, DRAFT, RULES)
@click.option("--previous", "previous_path", type=PATH, help=_("同一机关上一年度的报告（任意格式）。"))
@click.option("--keypoints", "keypoint_specs", multiple=True, metavar="NAME|FILE", help=KEYPOINTS)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help=_("从标准输入（-）读取的报告稿所用的名字（扩展名也算）。"),
)
@click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help=_("终端上的报告是否着色（auto：在终端上着色，除非设置了 NO_COLOR）。"),
)
@click.option("-q", "--quiet", "quiet", is_flag=True, help=_("每个问题一行，不含摘录和建议。"))
@click.option("-v", "--verbose", "verbose", is_flag=True, help=_("同时列出每个问题的依据和偏移位置。"))
def check(**values) -> None:
    from compliance import commands

    sys.exit(commands.check(**values))


@main.command("parse", help=_("打印报告稿的章节树（偏移位置指向规范化后的文本）。"))
@click.argument("file", type=PATH)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def parse(**values) -> None:
    from compliance import commands

    commands.parse(**values)


@main.command("facts", help=_("打印规则据以判断的事实（规则的 `when:` 所选取的内容）。"))
@click.argument("file", type=PATH)
@click.option("--kind", help=_("只列出这一类事实。"))
@PACKS
def facts(**values) -> None:
    from compliance import commands

    commands.facts(**values)


@main.command(
    "fix", help=_("把问题的安全修改（加 --unsafe 时也包括不安全的修改）应用到报告的副本上；摘要写到标准错误。")
)
@click.argument("file", type=PATH)
@click.option(
    "-o",
    "--output",
    type=FILE,
    help=_("把修改后的报告写到这个新文件：.docx 报告写 NAME.docx（保留格式），其他写文本。"),
)
@click.option("--unsafe", is_flag=True, help=_("也应用会改动数字、年份或措辞的修改。"))
@click.option(
    "--diff", "show_diff", is_flag=True, help=_("打印文本的统一差异（unified diff）；不给 -o 时不写任何文件。")
)
@options(DRAFT, RULES)
def fix(**values) -> None:
    from compliance import commands

    commands.fix(**values)


@main.command(
    "annotate",
    help=_(
        "写出审阅稿：报告稿本身，每个问题是标在其文字上的批注，每处修改（加 --unsafe 时也包括不安全的修改）"
        "是可逐一接受或拒绝的修订；摘要写到标准错误。"
    ),
)
@click.argument("file", type=PATH)
@click.option(
    "-o",
    "--output",
    type=FILE,
    required=True,
    help=_("审阅稿写到这个新的 .docx 文件（非 .docx 报告稿写成纯文本的 .docx）。"),
)
@REVIEWER
@click.option("--unsafe", is_flag=True, help=_("也把会改动数字、年份或措辞的修改写成修订。"))
@options(DRAFT, RULES)
def annotate(**values) -> None:
    from compliance import commands

    commands.annotate(**values)


@main.group("keypoints", cls=Commands, help=_("政务公开工作要点：把工作要点文件转为检查清单。"))
def keypoints() -> None:
    """The commands on key-point documents."""


@keypoints.command("extract", help=_("提取检查清单（发布机关、年度、文号、报送要求、任务及其责任单位、期限、术语）。"))
@click.argument("file", type=PATH)
@click.option("-o", "--output", type=FILE, help=_("把清单写到这里（.yaml 或 .json）。"))
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def extract(**values) -> None:
    from compliance import commands

    commands.extract_keypoints(**values)


@main.command(
    "screen",
    help=_(
        "并行筛查 DIRECTORY 下的每份报告：每份报告的 JSON/HTML、summary.csv、summary.html；"
        "同一机关相邻两年的报告各写一份年度比对（comparisons/ 下）。\n\n"
        "有文件无法读取、超时或使工作进程崩溃时退出状态为 2（该行写明原因），"
        "否则有问题达到 --fail-on 时为 1，否则为 0；按 Ctrl-C 后为 130，并给出已完成部分的汇总。"
    ),
)
@click.argument("directory", type=DIR)
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=_("存放 reports/、summary.csv 和 summary.html 的文件夹。"),
)
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help=_("工作进程数 [默认：CPU 核数]。"))
@options(FAIL_ON, RULES)
@click.option(
    "--keypoints",
    "keypoint_specs",
    multiple=True,
    metavar="NAME|FILE",
    help=_("每份报告都要对照检查的工作要点。"),
)
@click.option("--no-html", is_flag=True, help=_("每份报告只写 JSON。"))
@click.option(
    "--annotate",
    is_flag=True,
    help=_("为每份 .docx 报告写一份审阅稿（reviews/ 下）：问题作批注，修改作修订（见 compliance annotate）。"),
)
@REVIEWER
@click.option("--unsafe", is_flag=True, help=_("与 --annotate 一起用：也把会改动数字、年份或措辞的修改写成修订。"))
@click.option("--notices", is_flag=True, help=_("为每份不合格的报告写一份整改通知，发给其发布机关。"))
@click.option("--from", "notice_issuer", help=_("整改通知的发文机关（与 --notices 一起用）。"))
@click.option("--deadline", metavar="YYYY-MM-DD", help=_("整改通知规定的期限（与 --notices 一起用）。"))
@click.option("--notice-date", metavar="YYYY-MM-DD", help=_("整改通知的成文日期 [默认：今天]。"))
@click.option("--notice-format", type=Named("compliance.render.notice:FORMATS"), default="docx", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help=_("每个文件可用的时间；超时则该行记为“超时”，其余继续（0：不限）。"),
)
def screen(**values) -> None:
    from compliance import commands

    sys.exit(commands.screen_directory(**values))


@main.group(
    "rules",
    cls=Commands,
    invoke_without_command=True,
    help=_("列出规则（`compliance rules explain ID` 显示其中一条）。"),
)
@click.pass_context
def rules(context) -> None:
    if context.invoked_subcommand is None:
        context.invoke(list_rules)


@rules.command("list", help=_("列出每条规则及其严重程度和标题。"))
@PACKS
def list_rules(**values) -> None:
    from compliance import commands

    commands.list_rules(**values)


@rules.command("explain", help=_("显示一条规则：检查什么、为什么（法律依据）、示例和改法。"))
@click.argument("rule_id")
@PACKS
def explain(**values) -> None:
    from compliance import commands

    commands.explain(**values)


@rules.command("new", help=_("写出一条规则（DIR/<family>/ID.yaml）及其用例（DIR/tests/<family>/ID.yaml）的骨架。"))
@click.argument("rule_id")
@click.option(
    "--rules",
    "pack",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("加入哪个规则包，不存在时创建 [默认：源码检出中自带的 rules/]。"),
)
def new_rule(**values) -> None:
    from compliance import commands

    commands.new_rule(**values)


@rules.command("test", help=_("运行规则包中各规则的用例（DIR/tests/）和示例；有一个未通过时退出状态为 1。"))
@click.argument("packs", nargs=-1, required=True, metavar="DIR...", type=DIR)
def test_rules(**values) -> None:
    from compliance import commands

    sys.exit(commands.run_rule_tests(**values))


@main.command(
    "notice",
    help=_(
        "检查 REPORT，写出列明须改正问题的整改通知。\n\n"
        "REPORT 无法读取、选项无效或没有问题达到 --min-severity 时，退出状态为 2。"
    ),
)
@click.argument("report_path", metavar="REPORT", type=PATH)
@click.option("--from", "issuer", required=True, help=_("发文机关，例如 苏州市人民政府办公室。"))
@click.option("--to", "addressee", required=True, help=_("主送机关：报告所属的机关。"))
@click.option("--deadline", required=True, metavar="YYYY-MM-DD", help=_("改正后的报告重新发布的截止日期。"))
@click.option("--number", help=_("发文字号，例如 苏府办〔2022〕5号。"))
@click.option("--date", metavar="YYYY-MM-DD", help=_("通知的成文日期 [默认：今天]。"))
@click.option("--contact", help=_("联系人及电话，写在日期下方。"))
@click.option(
    "--min-severity",
    type=Named("compliance.models.findings:SEVERITIES"),
    default="major",
    show_default=True,
    help=_("列出的最低严重程度。"),
)
@click.option(
    "--format",
    "output_format",
    type=Named("compliance.render.notice:FORMATS"),
    help=_("[默认：.md 用 markdown，其他用 docx]"),
)
@click.option("--templates", "templates_path", type=PATH, help=_("措辞文件 [默认：rules/notice/notice.yaml]。"))
@options(DRAFT, RULES)
@click.option("-o", "--output", required=True, type=FILE, help=_("要写出的通知。"))
def notice(**values) -> None:
    from compliance import commands

    commands.notice(**values)


@main.command(
    "compare",
    help=_(
        "把同一机关两个年度的报告（LAST 上年，THIS 本年）并排比对：三张表逐格的增减、上年结转核对、"
        "正文所述数据、各部分文字相似度和照搬的段落、主要数据图。不给 -o 时把 Markdown 写到标准输出。"
    ),
)
@click.argument("last", type=PATH)
@click.argument("this", type=PATH)
@click.option(
    "-o",
    "--output",
    type=FILE,
    help=_("把比对写到这个文件：格式由扩展名定（.html、.md、.json），或由 --format 指定。"),
)
@click.option(
    "--format",
    "output_format",
    type=Named("compliance.render.comparison:FORMATS"),
    help=_("[默认：按 -o 的扩展名；没有 -o 时为 md]"),
)
def compare(**values) -> None:
    from compliance import commands

    commands.compare(**values)


# The review workspace's data: its folder and its database (shared by serve and users).
WORKSPACE = options(
    click.option(
        "--data",
        "data_dir",
        type=PATH,
        help=_("工作台的数据文件夹（报告稿和默认的数据库）[默认：用户数据目录下的 ogi-compliance]。"),
    ),
    click.option(
        "--db",
        "db_url",
        metavar="URL",
        help=_("数据库地址，如 postgresql://用户@主机/库名 [默认：数据文件夹中的 SQLite]。"),
    ),
)


@main.command(
    "serve",
    help=_(
        "在浏览器中打开审查工作台：上传报告稿、查看检查结果、发整改通知、核对整改稿、汇总统计。"
        "默认只在本机 127.0.0.1 监听；在其他地址监听须先用 compliance users add 添加用户。"
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=_("监听的地址。"))
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=_("监听的端口。"))
@options(WORKSPACE)
def serve(**values) -> None:
    from compliance import commands

    commands.serve(**values)


@main.group("users", cls=Commands, help=_("审查工作台的用户（登录用）：添加、列出、删除。"))
def users() -> None:
    """The workspace's users."""


@users.command("add", help=_("添加用户 NAME（密码输入两次，不显示）。"))
@click.argument("name")
@options(WORKSPACE)
def users_add(**values) -> None:
    from compliance import commands

    commands.users_add(**values)


@users.command("list", help=_("列出用户。"))
@options(WORKSPACE)
def users_list(**values) -> None:
    from compliance import commands

    commands.users_list(**values)


@users.command("remove", help=_("删除用户 NAME。"))
@click.argument("name")
@options(WORKSPACE)
def users_remove(**values) -> None:
    from compliance import commands

    commands.users_remove(**values)


CLICK_CHINESE = LOCALE / "zh_CN" / "LC_MESSAGES" / "click.po"


def _click_in_chinese() -> gettext.GNUTranslations:
    """click's messages in Chinese. click asks for one on every run (its --help option's help), so
    the catalogue is compiled once into the cache folder (compliance/cache.py), keyed by its text,
    and read from there by gettext: no Babel, no parsing of the .po on a run."""
    from compliance import cache

    key = cache.key(cache.source(CLICK_CHINESE))
    compiled = cache.load("click-zh_CN", key)
    if compiled is None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with CLICK_CHINESE.open("rb") as stream:
            catalogue = read_po(stream)
        written = io.BytesIO()
        write_mo(written, catalogue)
        compiled = written.getvalue()
        cache.store("click-zh_CN", key, compiled)
    return gettext.GNUTranslations(io.BytesIO(compiled))


if language() == "zh":  # English: click as it is
    install_click(_click_in_chinese())
