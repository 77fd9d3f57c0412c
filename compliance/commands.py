"""What each command of ``compliance`` does with its options (compliance/cli.py declares them and
passes them on by name): the configuration it runs with, the work, what it prints, and its exit
status. A ``ComplianceError`` raised here reaches the user as one line, exit status 2 (cli.py)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from compliance.config import load_config
from compliance.engine.backends import resolve as resolve_engine
from compliance.errors import ComplianceError
from compliance.i18n import _
from compliance.load import load, load_bytes
from compliance.load.folder import SUFFIXES, reports_under
from compliance.models.checklist import Checklist
from compliance.models.config import Config, Overrides, selections
from compliance.models.findings import SEVERITIES, Severity, reaches
from compliance.output import guard, make_directory, write_text
from compliance.pipeline import (
    check_source,
    checklist,
    configured_checklists,
    describe_source,
    previous_report,
    read,
    read_checklist,
)
from compliance.render import render
from compliance.rulebook import check_selections, rulebook_for

# What only some commands need (fixing, screening, the notice, SARIF, rule authoring) is
# imported by them, so that a check imports none of it (issue 13: a cold start in a blink).

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


def exit_status(severities: Iterable[Severity], fail_on: Severity, errors: bool = False) -> int:
    """The one exit-status policy of the commands that check drafts: 2 when some input could not be
    checked, else 1 when a finding reaches ``fail_on``, else 0."""
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(reaches(severity, fail_on) for severity in severities) else EXIT_CLEAN


def configure(
    config_path: Path | None, rule_packs=(), engine: str | None = None, checks: bool = False, **given
) -> Config:
    """The configuration file (given, or found nearby) with the options given on the command line.
    ``checks``: the command checks drafts, so the rules engine configured must run here."""
    updates = {key: list(value) if isinstance(value, tuple) else value for key, value in given.items() if value}
    for key in ("select", "ignore"):
        if key in updates:
            updates[key] = selections(updates[key])
    if rule_packs:
        updates["rules"] = [pack.resolve() for pack in rule_packs]
    if engine:
        updates["engine"] = engine
    config = load_config(config_path).model_copy(update=updates)
    if checks:
        resolve_engine(config.engine)  # durable-rules asked for where it does not run: one line, exit 2
        check_selections(rulebook_for(config.rules), select=config.select, ignore=config.ignore)
    return config


def _keypoints(specs: tuple[str, ...], config: Config) -> list[Checklist] | None:
    """--keypoints replaces the configured key points."""
    return [checklist(spec) for spec in specs] or configured_checklists(config)


def check(
    files,
    output_format,
    output,
    fail_on,
    year,
    issuer_kind,
    regime,
    force,
    select,
    ignore,
    rule_packs,
    config_path,
    engine,
    previous_path,
    keypoint_specs,
    stdin_filename,
    color,
    quiet,
    verbose,
) -> int:
    config = configure(config_path, rule_packs, engine, checks=True, fail_on=fail_on, select=select, ignore=ignore)
    rulebook = rulebook_for(config.rules)
    previous = previous_report(load(previous_path, config.limits), rulebook) if previous_path else None
    keypoints = _keypoints(keypoint_specs, config)
    overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
    drafts, failed = _drafts(files)
    pages = output_format == "html" and (len(drafts) > 1 or (output is not None and output.is_dir()))
    if pages:
        _page_directory(output)
    inputs = [*(d for d in drafts if d != STDIN), previous_path, config_path, *(Path(s) for s in keypoint_specs)]
    if output is not None:
        guard(output, inputs)  # before any work: never over an input
    sink = io.StringIO() if output and not pages else None  # written whole at the end
    colour = color == "always" or (color == "auto" and sink is None and sys.stdout.isatty() and not _no_colour())
    detail = 0 if quiet else 2 if verbose else 1
    checked, severities = [], []  # checked: (report, text) for SARIF, one document for all
    pages_written: set[str] = set()
    printed = False
    for draft in drafts:
        try:
            if draft == STDIN:
                source = load_bytes(_standard_input(config.limits), stdin_filename or "-", config.limits)
            else:
                source = load(draft, config.limits)
            report = check_source(source, config, overrides, rulebook, previous=previous, keypoints=keypoints)
            if pages:
                page = _page_name(Path(source.path).stem.lstrip("-") or "stdin", pages_written)
                write_text(output / f"{page}.html", render(report, "html", source.text), inputs)
            elif output_format == "sarif":
                checked.append((report, source.text))
            else:
                separator = "\n" if printed and output_format in ("text", "markdown") else ""
                shown = separator + render(report, output_format, source.text, colour, detail)
                click.echo(shown, nl=False, file=sink, color=colour or None)  # colour asked for: kept in a pipe too
                printed = True
        except ComplianceError as error:  # unreadable, not a report, a template over its limits, a failed write
            click.echo(f"compliance: {error}", err=True)
            failed = True
            continue
        severities += [finding.severity for finding in report.findings]
    if output_format == "sarif":  # the rules' descriptions come from the rulebook: may fail, exit 2
        from compliance.render.sarif import render_sarif

        click.echo(render_sarif(checked, rulebook), nl=False, file=sink)
    if sink is not None:
        write_text(output, sink.getvalue(), inputs)
    return exit_status(severities, config.fail_on, failed)


STDIN = Path("-")  # the draft is read from standard input


def _drafts(files) -> tuple[list[Path], bool]:
    """The drafts the arguments name: a file as it is, a folder as every report file under it
    (compliance/load/folder.py), ``-`` as standard input (once). Whether some argument named none
    (said on standard error)."""
    drafts: list[Path] = []
    failed = False
    for path in files:
        if path == STDIN or not path.is_dir():
            drafts.append(path)
            continue
        listing = reports_under(path)
        for link, reason in listing.skipped.items():
            click.echo(f"compliance: {link}: {reason}", err=True)
        if not listing.files:
            none = _("文件夹下没有可检查的文件（{suffixes}）").format(suffixes="、".join(sorted(SUFFIXES)))
            click.echo(f"compliance: {path}: {none}", err=True)
        failed = failed or bool(listing.skipped) or not listing.files
        drafts += listing.files
    return list(dict.fromkeys(drafts)), failed


def _standard_input(limits) -> bytes:
    """Standard input, read up to one byte past the size limit (the loader then refuses it)."""
    return sys.stdin.buffer.read(limits.max_input_bytes + 1)


def _no_colour() -> bool:
    """NO_COLOR (no-color.org): set and not empty, no colour unless --color always."""
    return bool(os.environ.get("NO_COLOR"))


def _page_name(stem: str, taken: set[str]) -> str:
    """A draft's page name: its file's stem, numbered when another draft's page has it."""
    name, number = stem, 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}"
    taken.add(name)
    return name


def _page_directory(output: Path | None) -> None:
    """HTML is one page per draft: several drafts (or -o naming a directory) need a directory."""
    if output is None:
        raise ComplianceError(_("--format html 检查多个文件时需要 -o DIR（每个文件一个 NAME.html）"))
    if output.exists() and not output.is_dir():
        raise ComplianceError(
            f"{output}: " + _("不是文件夹（--format html 检查多个文件时，在其中为每个文件写一个 NAME.html）")
        )
    make_directory(output)


def parse(file, output_format) -> None:
    from compliance.render.tree import render_tree

    tree = read(file).tree
    click.echo(
        tree.model_dump_json(indent=2) if output_format == "json" else render_tree(tree), nl=output_format == "json"
    )


def facts(file, kind, rule_packs, config_path) -> None:
    _, found = describe_source(load(file), rulebook=rulebook_for(configure(config_path, rule_packs).rules))
    for fact in found:
        if kind is None or fact.kind == kind:
            click.echo(json.dumps(fact.model_dump(), ensure_ascii=False))


def fix(
    file, output, unsafe, show_diff, year, issuer_kind, regime, force, select, ignore, rule_packs, config_path, engine
) -> None:
    from compliance.fix import fix_file, summary, unified_diff

    if output is None and not show_diff:
        raise ComplianceError(_("fix：请用 -o FILE 给出修改后的报告，或用 --diff 查看修改"))
    config = configure(config_path, rule_packs, engine, checks=True, select=select, ignore=ignore)
    overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
    result = fix_file(file, output, unsafe, config, overrides, rulebook_for(config.rules))
    if show_diff:
        click.echo(unified_diff(result), nl=False)
    click.echo(summary(result), err=True)


def annotate(
    file,
    output,
    author,
    initials,
    unsafe,
    year,
    issuer_kind,
    regime,
    force,
    select,
    ignore,
    rule_packs,
    config_path,
    engine,
) -> None:
    from compliance.annotate import annotate_file, reviewer, summary

    config = configure(config_path, rule_packs, engine, checks=True, select=select, ignore=ignore)
    overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
    author, initials = reviewer(author, initials)
    result = annotate_file(
        file,
        output,
        author=author,
        initials=initials,
        unsafe=unsafe,
        config=config,
        overrides=overrides,
        rulebook=rulebook_for(config.rules),
    )
    click.echo(summary(result), err=True)


def extract_keypoints(file, output, output_format) -> None:
    from compliance.checklists.files import save_checklist, to_json, to_yaml

    extracted = read_checklist(file)
    if output:
        save_checklist(extracted, output)
        click.echo(
            _("{output}：从 {file} 提取 {count} 项任务").format(output=output, file=file, count=len(extracted.tasks)),
            err=True,
        )
    else:
        click.echo(to_json(extracted) if output_format == "json" else to_yaml(extracted), nl=False)


def screen_directory(
    directory,
    outdir,
    jobs,
    fail_on,
    select,
    ignore,
    rule_packs,
    config_path,
    engine,
    keypoint_specs,
    no_html,
    annotate,
    author,
    initials,
    unsafe,
    notices,
    notice_issuer,
    deadline,
    notice_date,
    notice_format,
    timeout,
) -> int:
    from compliance.annotate import reviewer
    from compliance.load.folder import SUFFIXES
    from compliance.render.notice import notice_options
    from compliance.screen import Settings, screen
    from compliance.screen.progress import screen_progress
    from compliance.screen.summary import grade_counts
    from compliance.screen.worker import Review

    if notices and not (notice_issuer and deadline):
        raise ComplianceError(_("--notices 需要 --from（发文机关）和 --deadline"))
    if not annotate and (author or initials or unsafe):
        raise ComplianceError(_("--author、--initials 和 --unsafe 与 --annotate 一起用"))
    config = configure(config_path, rule_packs, engine, checks=True, fail_on=fail_on, select=select, ignore=ignore)
    rulebook_for(config.rules)  # a bad rule pack stops here, in one line, before any worker starts
    keypoints = _keypoints(keypoint_specs, config)
    # The addressee is each failing report's own issuer; this stands in where a report names none.
    notice = (
        notice_options(issuer=notice_issuer, addressee="各报送单位", deadline=deadline, date=notice_date)
        if notices
        else None
    )
    settings = Settings(
        directory=directory,
        outdir=outdir,
        config=config,
        overrides=Overrides(),
        keypoints=keypoints,
        html=not no_html,
        notice=notice,
        notice_format=notice_format,
        review=Review(*reviewer(author, initials), unsafe) if annotate else None,
        timeout=timeout or None,
    )
    try:
        with screen_progress() as tick:
            result = screen(settings, jobs, tick)
    except OSError as error:
        raise ComplianceError(f"{outdir}: " + _("无法写入：{error}").format(error=error.strerror or error)) from None
    except KeyboardInterrupt:  # before any file was checked, or while the summary was written
        click.echo("compliance: 已中断", err=True)
        return EXIT_INTERRUPTED
    grades = "，".join(f"{g} {n}" for g, n in grade_counts(result.rows, settings.config))
    found = (
        f"{len(result.rows)} 份：{grades}"
        if result.rows
        else f"{directory} 下没有可检查的文件（{'、'.join(sorted(SUFFIXES))}）"
    )
    click.echo(f"{'已中断，' if result.interrupted else ''}{found}；汇总见 {result.summary_html}", err=True)
    if result.interrupted:
        return EXIT_INTERRUPTED
    severities = [severity for row in result.rows for severity in SEVERITIES if getattr(row, severity)]
    return exit_status(severities, settings.config.fail_on, any(row.error for row in result.rows))


def list_rules(rule_packs=(), config_path=None) -> None:
    from compliance.render.explain import render_rule_list

    click.echo(render_rule_list(rulebook_for(configure(config_path, rule_packs).rules)), nl=False)


def explain(rule_id, rule_packs, config_path) -> None:
    from compliance.render.explain import render_rule

    rulebook = rulebook_for(configure(config_path, rule_packs).rules)
    spec = rulebook.rules.get(rule_id.upper()) or next((r for r in rulebook.rules.values() if r.name == rule_id), None)
    if spec is None:
        raise ComplianceError(_("没有规则 {rule}；`compliance rules` 列出全部规则").format(rule=repr(rule_id)))
    click.echo(render_rule(spec, rulebook), nl=False)


def new_rule(rule_id, pack) -> None:
    from compliance.authoring.scaffold import new_rule as write_rule_skeleton

    click.echo("\n".join(map(str, write_rule_skeleton(rule_id, pack))))
    then = f"compliance rules test {pack}" if pack else "pytest tests/rules"
    click.echo(_("替换两个文件中的每个【待填写…】，然后运行：{then}").format(then=then), err=True)


def run_rule_tests(packs) -> int:
    """The cases and examples of rule packs: 1 when one fails."""
    from compliance.authoring.cases import check_pack

    rulebook = rulebook_for(packs)
    outcomes = [outcome for pack in packs for outcome in check_pack(rulebook, pack)]
    for outcome in outcomes:
        problem = f": {outcome.problem}" if outcome.problem else ""
        click.echo(f"{_('通过') if outcome.ok else _('失败')} {outcome.rule} {outcome.name}{problem}")
    failed = sum(not outcome.ok for outcome in outcomes)
    rules = len({outcome.rule for outcome in outcomes})
    held = _("{failed} 个未通过").format(failed=failed) if failed else _("全部通过")
    click.echo(_("{rules} 条规则，{cases} 个用例和示例：").format(rules=rules, cases=len(outcomes)) + held, err=True)
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def notice(
    report_path,
    issuer,
    addressee,
    deadline,
    number,
    date,
    contact,
    min_severity,
    output_format,
    templates_path,
    year,
    issuer_kind,
    regime,
    force,
    select,
    ignore,
    rule_packs,
    config_path,
    engine,
    output,
) -> None:
    from compliance.render.notice import load_templates, notice_options, write_notice

    options = notice_options(
        issuer=issuer,
        addressee=addressee,
        deadline=deadline,
        number=number,
        date=date,
        contact=contact,
        min_severity=min_severity,
    )
    templates = load_templates(templates_path) if templates_path else None
    config = configure(config_path, rule_packs, engine, checks=True, select=select, ignore=ignore)
    overrides = Overrides(year=year, issuer_kind=issuer_kind, regime=regime, force=force)
    report = check_source(load(report_path), config, overrides, rulebook_for(config.rules))
    written = write_notice(report, options, output, output_format, templates)
    problems = sum(len(group.items) for group in written.groups)
    click.echo(
        _("{output}：{report} 中的 {count} 个问题").format(output=output, report=report_path, count=problems), err=True
    )


def compare(last, this, output, output_format) -> None:
    """Two years side by side: to ``output`` in the format its suffix names (or ``--format``),
    else Markdown on standard output."""
    from typing import cast

    from compliance.compare import compare_files
    from compliance.render.comparison import FORMATS, Format, render_comparison

    fmt = cast(Format, output_format or (_comparison_format(output, FORMATS) if output else "md"))
    if output is not None:
        guard(output, [last, this])  # before the reports are read, not after
    text = render_comparison(compare_files(last, this), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text(output, text, [last, this])
    click.echo(_("{output}：{last} 与 {this} 的比对").format(output=output, last=last, this=this), err=True)


def _comparison_format(output: Path, formats: tuple[str, ...]) -> str:
    suffix = {".htm": "html", ".markdown": "md"}.get(output.suffix.lower(), output.suffix.lower().lstrip("."))
    if suffix not in formats:
        raise ComplianceError(f"{output}: " + _("无法从扩展名判断格式，请用 .html、.md 或 .json，或用 --format 指定"))
    return suffix


def serve(host, port, data_dir, db_url) -> None:
    """The review workspace on ``host:port`` until Ctrl-C."""
    from compliance.workspace.serve import default_data_dir, opened, refuse_without_users
    from compliance.workspace.serve import serve as run
    from compliance.workspace.web.settings import ServeSettings

    settings = ServeSettings(data_dir=data_dir or default_data_dir(), db_url=db_url, host=host, port=port)
    workspace = opened(settings.data_dir, db_url)
    refuse_without_users(settings, workspace)  # before saying where it is: it may not start at all
    click.echo(
        _("审查工作台：http://{host}:{port}/ （数据在 {data}）").format(host=host, port=port, data=settings.data_dir),
        err=True,
    )
    run(settings, workspace)


def users_add(name, data_dir, db_url) -> None:
    from compliance.workspace.data import records
    from compliance.workspace.serve import opened

    password = click.prompt(_("密码"), hide_input=True, confirmation_prompt=_("再输入一次密码"))
    try:
        with opened(data_dir, db_url).session() as session:
            records.add_user(session, name, password)
    except ValueError as error:  # the name is taken, or empty: said in Chinese by records
        raise ComplianceError(str(error)) from None
    click.echo(_("已添加用户 {name}").format(name=name), err=True)


def users_list(data_dir, db_url) -> None:
    from compliance.workspace import users
    from compliance.workspace.serve import opened

    with opened(data_dir, db_url).session() as session:
        for name in users.names(session):
            click.echo(name)


def users_remove(name, data_dir, db_url) -> None:
    from compliance.workspace import users
    from compliance.workspace.serve import opened

    with opened(data_dir, db_url).session() as session:
        if not users.remove(session, name):
            raise ComplianceError(_("没有名为 {name} 的用户").format(name=name))
    click.echo(_("已删除用户 {name}").format(name=name), err=True)
