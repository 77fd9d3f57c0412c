"""The ``compliance`` command: options → pipeline → renderer; errors → one line and exit 2."""

from __future__ import annotations

import json
import io
import sys
from collections import Counter
from pathlib import Path

import click

from compliance.authoring.cases import check_pack
from compliance.authoring.scaffold import new_rule
from compliance.config import load_config
from compliance.engine.backends import ENGINES
from compliance.engine.backends import resolve as resolve_engine
from compliance.errors import ComplianceError, InputError
from compliance.checklists.files import save_checklist
from compliance.checklists.files import to_json as checklist_json
from compliance.checklists.files import to_yaml as checklist_yaml
from compliance.output import guard, make_directory, write_text
from compliance.fix import fix_file, unified_diff
from compliance.fix import summary as fix_summary
from compliance.load import load
from compliance.models.config import Config, Overrides
from compliance.models.findings import SEVERITIES
from compliance.pipeline import check_source, configured_checklists, describe_source, previous_report
from compliance.pipeline import checklist as resolve_checklist
from compliance.pipeline import read
from compliance.pipeline import read_checklist as extract_checklist
from compliance.render.explain import render_rule, render_rule_list
from compliance.render.html import render_html
from compliance.render.markdown import render_markdown
from compliance.render.notice import FORMATS as NOTICE_FORMATS
from compliance.render.notice import load_templates, notice_options, write_notice
from compliance.render.sarif import render_sarif
from compliance.render.text import render_text
from compliance.render.tree import render_tree
from compliance.rulebook import Rulebook, rulebook_for
from compliance.screen import Settings as ScreenSettings
from compliance.screen import screen as run_screen
from compliance.screen.progress import screen_progress
from compliance.screen.files import SUFFIXES
from compliance.screen.summary import grade_counts

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
# One draft's output in each format that is one document per draft (SARIF is one for all drafts).
_RENDERERS = {
    "text": lambda report, text, colour: render_text(report, colour),
    "json": lambda report, text, colour: report.model_dump_json() + "\n",
    "markdown": lambda report, text, colour: render_markdown(report),
    "html": lambda report, text, colour: render_html(report, text),
}


def _fail(message: str) -> None:
    click.echo(f"compliance: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _options(*options):
    """Several click options as one decorator, in the order given."""

    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


_FAIL_ON = click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that makes the exit status 1 [default: critical].")
# What the draft may not say of itself.
_DRAFT_OPTIONS = _options(
    click.option("--year", type=click.IntRange(1990, 2100), help="Report year (overrides what the draft says)."),
    click.option("--issuer-kind", type=click.Choice(["government", "department"]), help="Kind of issuer."),
    click.option("--regime", type=click.Choice(["ogi2007", "ogi2019-trial", "ogi2019"]), help="Regime to check against."),
    click.option("--force", is_flag=True, help="Check it as an annual report even when it looks like something else (a 工作要点, a notice)."),
)
_PACK_OPTIONS = _options(
    click.option("--rules", "rule_packs", multiple=True, metavar="DIR",
                 type=click.Path(exists=True, file_okay=False, path_type=Path),
                 help="A rule pack (rule files, basis, mention sets) added to the shipped rules; repeatable; replaces the configured `rules`."),
    click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Configuration file."),
)


def _engine_option(context: click.Context, parameter, value: str | None) -> None:
    context.meta["compliance.engine"] = value  # read by _config: this command checks drafts


_RULE_OPTIONS = _options(
    click.option("--select", multiple=True, help="Only these rules (ids, family prefixes or names)."),
    click.option("--ignore", multiple=True, help="Skip these rules (ids, family prefixes or names)."),
    _PACK_OPTIONS,
    click.option("--engine", type=click.Choice(ENGINES), expose_value=False, callback=_engine_option,
                 help="Rules engine (same findings): durable-rules (not on Python 3.13+) or python [default: durable where installed]."),
)


def _config(config_path: Path | None, rule_packs: tuple[Path, ...] = (), **given) -> Config:
    """The configuration file (given, or found nearby) with the options given on the command line."""
    updates = {key: list(value) if isinstance(value, tuple) else value for key, value in given.items() if value}
    if rule_packs:
        updates["rules"] = [pack.resolve() for pack in rule_packs]
    context = click.get_current_context(silent=True)
    checks = context is not None and "compliance.engine" in context.meta  # a command with --engine
    if checks and context.meta["compliance.engine"]:
        updates["engine"] = context.meta["compliance.engine"]
    config = load_config(config_path).model_copy(update=updates)
    if checks:
        resolve_engine(config.engine)  # durable-rules asked for where it does not run: one line, exit 2
    return config


def _rulebook(config: Config) -> Rulebook:
    """The shipped rules with the rule packs of the configuration (or of --rules)."""
    return rulebook_for(config.rules)


def _keypoints(specs: tuple[str, ...], config: Config) -> list:
    """--keypoints replaces the configured key points."""
    return [resolve_checklist(spec) for spec in specs] or configured_checklists(config)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ogi-compliance")
def main() -> None:
    """Check annual reports on open government information (政府信息公开工作年度报告)."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice([*_RENDERERS, "sarif"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of standard output; for html with several files, a directory (one NAME.html each).")
@_FAIL_ON
@_DRAFT_OPTIONS
@_RULE_OPTIONS
@click.option("--previous", "previous_path", type=click.Path(path_type=Path), help="The issuer's report of the year before (any format).")
@click.option("--keypoints", "keypoint_specs", multiple=True, metavar="NAME|FILE",
              help="Key points (工作要点) to check against: a shipped checklist name, a checklist .yaml/.json, or the document itself.")
def check(files, output_format, output, fail_on, year, issuer_kind, regime, force, select, ignore, rule_packs, config_path, previous_path,
          keypoint_specs) -> None:
    """Check report drafts; exit 1 when a finding reaches --fail-on, 2 on unreadable input."""
    try:
        config = _config(config_path, rule_packs, fail_on=fail_on, select=select, ignore=ignore)
        rulebook = _rulebook(config)
        previous = previous_report(load(previous_path), rulebook) if previous_path else None
        keypoints = _keypoints(keypoint_specs, config)
    except ComplianceError as error:
        _fail(str(error))
    overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
    html_dir = output_format == "html" and (len(files) > 1 or (output is not None and output.is_dir()))
    if html_dir:
        _html_directory(output, files)
    status = EXIT_CLEAN
    checked = []  # (report, text) for SARIF, one document for all files
    inputs = [*files, previous_path, config_path, *(Path(s) for s in keypoint_specs)]
    try:
        if output is not None:
            guard(output, inputs)  # before any work: never over an input
    except ComplianceError as error:
        _fail(str(error))
    sink = io.StringIO() if output and not html_dir else None  # written whole at the end
    colour = sink is None and sys.stdout.isatty()
    for index, path in enumerate(files):
        try:
            source = load(path)
            report = check_source(source, config, overrides, rulebook, previous=previous, keypoints=keypoints)
            if html_dir:
                write_text(output / f"{path.stem}.html", render_html(report, source.text), inputs)
            elif output_format == "sarif":
                checked.append((report, source.text))
            else:
                separator = "\n" if index and output_format != "json" else ""
                click.echo(separator + _RENDERERS[output_format](report, source.text, colour), nl=False, file=sink)
        except ComplianceError as error:  # unreadable, not a report, a template over its limits, a failed write
            click.echo(f"compliance: {error}", err=True)
            status = EXIT_ERROR
            continue
        if status != EXIT_ERROR and any(_RANK[f.severity] <= _RANK[config.fail_on] for f in report.findings):
            status = EXIT_FINDINGS
    if output_format == "sarif":
        try:
            click.echo(render_sarif(checked, rulebook), nl=False, file=sink)
        except ComplianceError as error:  # the rulebook the rules' descriptions come from
            _fail(str(error))
    if sink is not None:
        _write(output, sink.getvalue(), inputs)
    sys.exit(status)


def _html_directory(output: Path | None, files) -> None:
    """HTML is one page per draft: several drafts (or -o naming a directory) need a directory."""
    if output is None:
        _fail("--format html with several files needs -o DIR (one NAME.html per file)")
    if output.exists() and not output.is_dir():
        _fail(f"{output}: not a directory (--format html with several files writes one NAME.html per file into it)")
    clashes = [stem for stem, count in Counter(path.stem for path in files).items() if count > 1]
    if clashes:
        _fail(f"several files would be written as {clashes[0]}.html; give files with different names")
    try:
        make_directory(output)
    except ComplianceError as error:
        _fail(str(error))


def _write(path: Path, content: str, inputs) -> None:
    try:
        write_text(path, content, inputs)
    except ComplianceError as error:
        _fail(str(error))


@main.command("parse")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def parse_command(file, output_format) -> None:
    """Print the section tree of a draft (offsets into the normalised text)."""
    try:
        tree = read(file).tree
    except InputError as error:
        _fail(str(error))
    click.echo(tree.model_dump_json(indent=2) if output_format == "json" else render_tree(tree), nl=output_format == "json")


@main.command("facts")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", help="Only facts of this kind.")
@_PACK_OPTIONS
def facts_command(file, kind, rule_packs, config_path) -> None:
    """Print the facts rules are evaluated on (what a rule's `when:` selects)."""
    try:
        info, facts = describe_source(load(file), rulebook=_rulebook(_config(config_path, rule_packs)))
    except ComplianceError as error:
        _fail(str(error))
    for fact in facts:
        if kind is None or fact.kind == kind:
            click.echo(json.dumps(fact.model_dump(), ensure_ascii=False))


@main.command("fix")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the fixed report to this new file: NAME.docx for a .docx (formatting kept), else the text.")
@click.option("--unsafe", is_flag=True, help="Also apply edits that change figures, years or wording.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the text; without -o, write nothing.")
@_DRAFT_OPTIONS
@_RULE_OPTIONS
def fix_command(file, output, unsafe, show_diff, year, issuer_kind, regime, force, select, ignore, rule_packs, config_path) -> None:
    """Apply the findings' safe edits (unsafe ones with --unsafe) to a copy of a report; the summary goes to stderr."""
    if output is None and not show_diff:
        _fail("fix: give -o FILE for the fixed report, or --diff to see the changes")
    try:
        config = _config(config_path, rule_packs, select=select, ignore=ignore)
        overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
        result = fix_file(file, output, unsafe, config, overrides, _rulebook(config))
    except ComplianceError as error:
        _fail(str(error))
    if show_diff:
        click.echo(unified_diff(result), nl=False)
    click.echo(fix_summary(result), err=True)


@main.group("keypoints")
def keypoints_command() -> None:
    """Key points (政务公开工作要点): turn a key-point document into a checklist."""


@keypoints_command.command("extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the checklist here (.yaml or .json).")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def keypoints_extract(file, output, output_format) -> None:
    """Extract the checklist (issuer, year, 文号, reporting instruction, tasks with units, deadlines, terms)."""
    try:
        checklist = extract_checklist(file)
        if output:
            save_checklist(checklist, output)
            click.echo(f"{output}: {len(checklist.tasks)} tasks from {file}", err=True)
            return
    except ComplianceError as error:
        _fail(str(error))
    click.echo(checklist_json(checklist) if output_format == "json" else checklist_yaml(checklist), nl=False)


@main.command("screen")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for reports/, summary.csv and summary.html.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes [default: CPU count].")
@_FAIL_ON
@_RULE_OPTIONS
@click.option("--keypoints", "keypoint_specs", multiple=True, metavar="NAME|FILE", help="Key points to check every report against.")
@click.option("--no-html", is_flag=True, help="Write per-report JSON only.")
@click.option("--notices", is_flag=True, help="Write a correction notice (整改通知) for each failing report, to its issuer.")
@click.option("--from", "notice_issuer", help="Issuing body of the notices (with --notices).")
@click.option("--deadline", metavar="YYYY-MM-DD", help="Deadline the notices set (with --notices).")
@click.option("--notice-date", metavar="YYYY-MM-DD", help="Date of the notices (成文日期) [default: today].")
@click.option("--notice-format", type=click.Choice(NOTICE_FORMATS), default="docx", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
              help="Time one file may take; then its row says 超时 and the rest goes on (0: no limit).")
def screen_command(directory, outdir, jobs, fail_on, select, ignore, rule_packs, config_path, keypoint_specs, no_html, notices,
                   notice_issuer, deadline, notice_date, notice_format, timeout) -> None:
    """Screen every report under DIRECTORY in parallel: per-report JSON/HTML, summary.csv, summary.html.

    Exit 2 when some file could not be read, took too long or crashed its worker (its row says
    why), else 1 when a finding reaches --fail-on, else 0; 130 after Ctrl-C, with the summary of
    what finished."""
    if notices and not (notice_issuer and deadline):
        _fail("--notices needs --from (the issuing body) and --deadline")
    try:
        config = _config(config_path, rule_packs, fail_on=fail_on, select=select, ignore=ignore)
        _rulebook(config)  # a bad rule pack stops here, in one line, before any worker starts
        keypoints = _keypoints(keypoint_specs, config)
        # The addressee is each failing report's own issuer; this stands in where a report names none.
        notice = notice_options(issuer=notice_issuer, addressee="各报送单位", deadline=deadline, date=notice_date) if notices else None
    except ComplianceError as error:
        _fail(str(error))
    settings = ScreenSettings(directory=directory, outdir=outdir, config=config,
                              overrides=Overrides(), keypoints=keypoints, html=not no_html, notice=notice,
                              notice_format=notice_format, timeout=timeout or None)
    try:
        with screen_progress() as tick:
            result = run_screen(settings, jobs, tick)
    except ComplianceError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{outdir}: cannot write: {error.strerror or error}")
    except KeyboardInterrupt:  # before any file was checked, or while the summary was written
        click.echo("compliance: 已中断", err=True)
        sys.exit(130)  # 128 + SIGINT, as a shell reports Ctrl-C
    grades = "，".join(f"{g} {n}" for g, n in grade_counts(result.rows, settings.config))
    found = f"{len(result.rows)} 份：{grades}" if result.rows else f"{directory} 下没有可检查的文件（{'、'.join(sorted(SUFFIXES))}）"
    click.echo(f"{'已中断，' if result.interrupted else ''}{found}；汇总见 {result.summary_html}", err=True)
    if result.interrupted:
        sys.exit(130)  # 128 + SIGINT, as a shell reports Ctrl-C
    counted = SEVERITIES[: _RANK[settings.config.fail_on] + 1]
    reached = any(getattr(row, severity) for row in result.rows for severity in counted)
    sys.exit(EXIT_ERROR if any(row.error for row in result.rows) else EXIT_FINDINGS if reached else EXIT_CLEAN)


@main.group("rules", invoke_without_command=True)
@click.pass_context
def rules_command(context) -> None:
    """List the rules (`compliance rules explain ID` shows one)."""
    if context.invoked_subcommand is None:
        context.invoke(list_rules)


@rules_command.command("list")
@_PACK_OPTIONS
def list_rules(rule_packs=(), config_path=None) -> None:
    """List every rule with its severity and title."""
    try:
        click.echo(render_rule_list(_rulebook(_config(config_path, rule_packs))), nl=False)
    except ComplianceError as error:
        _fail(str(error))


@rules_command.command("explain")
@click.argument("rule_id")
@_PACK_OPTIONS
def explain(rule_id, rule_packs, config_path) -> None:
    """Show a rule: what it checks, why (its legal basis), an example and the fix."""
    try:
        rulebook = _rulebook(_config(config_path, rule_packs))
    except ComplianceError as error:
        _fail(str(error))
    spec = rulebook.rules.get(rule_id.upper()) or next((r for r in rulebook.rules.values() if r.name == rule_id), None)
    if spec is None:
        _fail(f"no rule {rule_id!r}; `compliance rules` lists them")
    click.echo(render_rule(spec, rulebook), nl=False)


@rules_command.command("new")
@click.argument("rule_id")
@click.option("--rules", "pack", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="The rule pack to add it to, created if need be [default: the shipped rules/ of a checkout].")
def new_rule_command(rule_id, pack) -> None:
    """Write the skeleton of a rule (DIR/<family>/ID.yaml) and of its cases (DIR/tests/<family>/ID.yaml)."""
    try:
        written = new_rule(rule_id, pack)
    except ComplianceError as error:
        _fail(str(error))
    click.echo("\n".join(map(str, written)))
    then = f"compliance rules test {pack}" if pack else "pytest tests/rules"
    click.echo(f"Replace every 【待填写…】 in both files, then run: {then}", err=True)


@rules_command.command("test")
@click.argument("packs", nargs=-1, required=True, metavar="DIR...", type=click.Path(exists=True, file_okay=False, path_type=Path))
def test_rules_command(packs) -> None:
    """Run the cases (DIR/tests/) and examples of the rules of rule packs; exit 1 when one fails."""
    try:
        rulebook = rulebook_for(packs)
        outcomes = [outcome for pack in packs for outcome in check_pack(rulebook, pack)]
    except ComplianceError as error:
        _fail(str(error))
    for outcome in outcomes:
        click.echo(f"{'ok  ' if outcome.ok else 'FAIL'} {outcome.rule} {outcome.name}" + (f": {outcome.problem}" if outcome.problem else ""))
    failed = sum(not outcome.ok for outcome in outcomes)
    rules = len({outcome.rule for outcome in outcomes})
    click.echo(f"{rules} rules, {len(outcomes)} cases and examples: " + (f"{failed} failed" if failed else "all hold"), err=True)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@main.command("notice")
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=Path))
@click.option("--from", "issuer", required=True, help="Issuing body (发文机关), e.g. 苏州市人民政府办公室.")
@click.option("--to", "addressee", required=True, help="Addressee (主送机关): the body whose report it is.")
@click.option("--deadline", required=True, metavar="YYYY-MM-DD", help="Date by which the corrected report is republished.")
@click.option("--number", help="Document number (发文字号), e.g. 苏府办〔2022〕5号.")
@click.option("--date", metavar="YYYY-MM-DD", help="Date of the notice (成文日期) [default: today].")
@click.option("--contact", help="Contact person and telephone (联系人), noted under the date.")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="major", show_default=True, help="Lowest severity listed.")
@click.option("--format", "output_format", type=click.Choice(NOTICE_FORMATS), help="[default: markdown for .md, else docx]")
@click.option("--templates", "templates_path", type=click.Path(path_type=Path), help="Wording file [default: rules/notice/notice.yaml].")
@_DRAFT_OPTIONS
@_RULE_OPTIONS
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The notice to write.")
def notice_command(report_path, issuer, addressee, deadline, number, date, contact, min_severity, output_format, templates_path,
                   year, issuer_kind, regime, force, select, ignore, rule_packs, config_path, output) -> None:
    """Check REPORT and write a correction notice (整改通知) listing what it must fix.

    Exit 2 when REPORT cannot be read, an option is invalid, or no finding reaches --min-severity."""
    try:
        options = notice_options(issuer=issuer, addressee=addressee, deadline=deadline, number=number, date=date,
                                 contact=contact, min_severity=min_severity)
        templates = load_templates(templates_path) if templates_path else None
        config = _config(config_path, rule_packs, select=select, ignore=ignore)
        overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
        report = check_source(load(report_path), config, overrides, _rulebook(config))
        notice = write_notice(report, options, output, output_format, templates)
    except ComplianceError as error:
        _fail(str(error))
    click.echo(f"{output}: {sum(len(group.items) for group in notice.groups)} problems from {report_path}", err=True)


if __name__ == "__main__":
    main()
