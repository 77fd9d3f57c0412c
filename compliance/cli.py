"""The ``compliance`` command: its options, handed by name to compliance/commands.py, which does
the work and says the exit status; a ``ComplianceError`` → one line on stderr and exit status 2.

This module imports click and nothing of the pipeline: ``compliance --help`` and ``--version``
start in a blink. A command imports compliance/commands.py when it runs, and the values of a
choice (severities, formats, engines) are read from the module that names them when click first
needs them (a value to check, a command's own ``--help``)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from compliance.errors import ComplianceError

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
    help="Lowest severity that makes the exit status 1 [default: critical].",
)
# What the draft may not say of itself.
DRAFT = options(
    click.option("--year", type=click.IntRange(1990, 2100), help="Report year (overrides what the draft says)."),
    click.option("--issuer-kind", type=click.Choice(["government", "department"]), help="Kind of issuer."),
    click.option(
        "--regime", type=click.Choice(["ogi2007", "ogi2019-trial", "ogi2019"]), help="Regime to check against."
    ),
    click.option(
        "--force",
        is_flag=True,
        help="Check it as an annual report even when it looks like something else (a 工作要点, a notice).",
    ),
)
PACKS = options(
    click.option(
        "--rules",
        "rule_packs",
        multiple=True,
        metavar="DIR",
        type=DIR,
        help="A rule pack (rule files, basis, mention sets) added to the shipped rules; repeatable; "
        "replaces the configured `rules`.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Configuration file.",
    ),
)
RULES = options(
    click.option("--select", multiple=True, help="Only these rules (ids, family prefixes or names)."),
    click.option("--ignore", multiple=True, help="Skip these rules (ids, family prefixes or names)."),
    PACKS,
    click.option(
        "--engine",
        type=Named("compliance.engine.backends:ENGINES"),
        help="Rules engine (same findings): durable-rules (not on Python 3.13+) or python "
        "[default: durable where installed].",
    ),
)
KEYPOINTS = (
    "Key points (工作要点) to check against: a shipped checklist name, a checklist .yaml/.json, or the document itself."
)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ogi-compliance")
def main() -> None:
    """Check annual reports on open government information (政府信息公开工作年度报告)."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option(
    "--format", "output_format", type=Named("compliance.render:FORMATS", "sarif"), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=PATH,
    help="Write here instead of standard output; for html with several files, a directory (one NAME.html each).",
)
@options(FAIL_ON, DRAFT, RULES)
@click.option("--previous", "previous_path", type=PATH, help="The issuer's report of the year before (any format).")
@click.option("--keypoints", "keypoint_specs", multiple=True, metavar="NAME|FILE", help=KEYPOINTS)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="The name a draft read from standard input (-) goes by (its extension too).",
)
@click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the terminal report (auto: on a terminal, unless NO_COLOR is set).",
)
@click.option("-q", "--quiet", "quiet", is_flag=True, help="Each finding on one line, without excerpt and suggestion.")
@click.option("-v", "--verbose", "verbose", is_flag=True, help="Also each finding's basis (依据) and offsets.")
def check(**values) -> None:
    """Check report drafts (FILES: files, folders of them, or - for standard input); exit 1 when a
    finding reaches --fail-on, 2 on unreadable input."""
    from compliance import commands

    sys.exit(commands.check(**values))


@main.command("parse")
@click.argument("file", type=PATH)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def parse(**values) -> None:
    """Print the section tree of a draft (offsets into the normalised text)."""
    from compliance import commands

    commands.parse(**values)


@main.command("facts")
@click.argument("file", type=PATH)
@click.option("--kind", help="Only facts of this kind.")
@PACKS
def facts(**values) -> None:
    """Print the facts rules are evaluated on (what a rule's `when:` selects)."""
    from compliance import commands

    commands.facts(**values)


@main.command("fix")
@click.argument("file", type=PATH)
@click.option(
    "-o",
    "--output",
    type=FILE,
    help="Write the fixed report to this new file: NAME.docx for a .docx (formatting kept), else the text.",
)
@click.option("--unsafe", is_flag=True, help="Also apply edits that change figures, years or wording.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the text; without -o, write nothing.")
@options(DRAFT, RULES)
def fix(**values) -> None:
    """Apply the findings' safe edits (unsafe ones with --unsafe) to a copy of a report; the summary goes to stderr."""
    from compliance import commands

    commands.fix(**values)


@main.group("keypoints", cls=Commands)
def keypoints() -> None:
    """Key points (政务公开工作要点): turn a key-point document into a checklist."""


@keypoints.command("extract")
@click.argument("file", type=PATH)
@click.option("-o", "--output", type=FILE, help="Write the checklist here (.yaml or .json).")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def extract(**values) -> None:
    """Extract the checklist (issuer, year, 文号, reporting instruction, tasks with units, deadlines, terms)."""
    from compliance import commands

    commands.extract_keypoints(**values)


@main.command("screen")
@click.argument("directory", type=DIR)
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for reports/, summary.csv and summary.html.",
)
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes [default: CPU count].")
@options(FAIL_ON, RULES)
@click.option(
    "--keypoints",
    "keypoint_specs",
    multiple=True,
    metavar="NAME|FILE",
    help="Key points to check every report against.",
)
@click.option("--no-html", is_flag=True, help="Write per-report JSON only.")
@click.option(
    "--notices", is_flag=True, help="Write a correction notice (整改通知) for each failing report, to its issuer."
)
@click.option("--from", "notice_issuer", help="Issuing body of the notices (with --notices).")
@click.option("--deadline", metavar="YYYY-MM-DD", help="Deadline the notices set (with --notices).")
@click.option("--notice-date", metavar="YYYY-MM-DD", help="Date of the notices (成文日期) [default: today].")
@click.option("--notice-format", type=Named("compliance.render.notice:FORMATS"), default="docx", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Time one file may take; then its row says 超时 and the rest goes on (0: no limit).",
)
def screen(**values) -> None:
    """Screen every report under DIRECTORY in parallel: per-report JSON/HTML, summary.csv, summary.html.

    Exit 2 when some file could not be read, took too long or crashed its worker (its row says
    why), else 1 when a finding reaches --fail-on, else 0; 130 after Ctrl-C, with the summary of
    what finished."""
    from compliance import commands

    sys.exit(commands.screen_directory(**values))


@main.group("rules", cls=Commands, invoke_without_command=True)
@click.pass_context
def rules(context) -> None:
    """List the rules (`compliance rules explain ID` shows one)."""
    if context.invoked_subcommand is None:
        context.invoke(list_rules)


@rules.command("list")
@PACKS
def list_rules(**values) -> None:
    """List every rule with its severity and title."""
    from compliance import commands

    commands.list_rules(**values)


@rules.command("explain")
@click.argument("rule_id")
@PACKS
def explain(**values) -> None:
    """Show a rule: what it checks, why (its legal basis), an example and the fix."""
    from compliance import commands

    commands.explain(**values)


@rules.command("new")
@click.argument("rule_id")
@click.option(
    "--rules",
    "pack",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The rule pack to add it to, created if need be [default: the shipped rules/ of a checkout].",
)
def new_rule(**values) -> None:
    """Write the skeleton of a rule (DIR/<family>/ID.yaml) and of its cases (DIR/tests/<family>/ID.yaml)."""
    from compliance import commands

    commands.new_rule(**values)


@rules.command("test")
@click.argument("packs", nargs=-1, required=True, metavar="DIR...", type=DIR)
def test_rules(**values) -> None:
    """Run the cases (DIR/tests/) and examples of the rules of rule packs; exit 1 when one fails."""
    from compliance import commands

    sys.exit(commands.run_rule_tests(**values))


@main.command("notice")
@click.argument("report_path", metavar="REPORT", type=PATH)
@click.option("--from", "issuer", required=True, help="Issuing body (发文机关), e.g. 苏州市人民政府办公室.")
@click.option("--to", "addressee", required=True, help="Addressee (主送机关): the body whose report it is.")
@click.option(
    "--deadline", required=True, metavar="YYYY-MM-DD", help="Date by which the corrected report is republished."
)
@click.option("--number", help="Document number (发文字号), e.g. 苏府办〔2022〕5号.")
@click.option("--date", metavar="YYYY-MM-DD", help="Date of the notice (成文日期) [default: today].")
@click.option("--contact", help="Contact person and telephone (联系人), noted under the date.")
@click.option(
    "--min-severity",
    type=Named("compliance.models.findings:SEVERITIES"),
    default="major",
    show_default=True,
    help="Lowest severity listed.",
)
@click.option(
    "--format",
    "output_format",
    type=Named("compliance.render.notice:FORMATS"),
    help="[default: markdown for .md, else docx]",
)
@click.option("--templates", "templates_path", type=PATH, help="Wording file [default: rules/notice/notice.yaml].")
@options(DRAFT, RULES)
@click.option("-o", "--output", required=True, type=FILE, help="The notice to write.")
def notice(**values) -> None:
    """Check REPORT and write a correction notice (整改通知) listing what it must fix.

    Exit 2 when REPORT cannot be read, an option is invalid, or no finding reaches --min-severity."""
    from compliance import commands

    commands.notice(**values)
