"""Stage 5: facts + rulebook → findings and not_checked, matched by durable-rules or its Python twin
(``backends``: the configuration's ``engine``, or the one that runs here); the evidence of the
rules that declare it (``evidence.py``)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import TemplateError

from compliance.engine.backends import Backend, backend
from compliance.engine.compiler import compile_rules, condition_fields, negated_kinds
from compliance.engine.evidence import evidence as evidence  # the pipeline calls it after evaluate
from compliance.engine.locate import Locator
from compliance.errors import RuleFileError
from compliance.i18n import _
from compliance.models.config import Config
from compliance.models.facts import DocumentFact, Fact, Unavailable
from compliance.models.findings import Edit, Finding, NotChecked, Severity, rank
from compliance.models.rulespec import RuleSpec
from compliance.rulebook import TEMPLATES, BoundedTemplate, Precompiled, Rulebook, TemplateRenderError

# A rulebook's compiled ruleset, negated kinds and condition fields, by its digest: compiling
# costs more than matching a short document.
_COMPILED: dict[str, tuple[dict, set[str], frozenset[str]]] = {}


def _compiled(rulebook: Rulebook) -> tuple[dict, set[str], frozenset[str]]:
    if rulebook.digest not in _COMPILED:
        specs = list(rulebook.rules.values())
        ruleset = compile_rules(specs)
        _COMPILED[rulebook.digest] = (ruleset, negated_kinds(specs), condition_fields(ruleset))
    return _COMPILED[rulebook.digest]


def engine_for(rulebook: Rulebook, engine: str = "auto") -> Backend:
    """The rulebook's compiled ruleset on the backend ``engine`` (auto, durable or python)."""
    ruleset, negated = _compiled(rulebook)[:2]
    return backend(engine, rulebook.digest, ruleset, negated)


def _match(facts: list[Fact], rulebook: Rulebook, engine: str) -> list[tuple[str, dict[str, dict]]]:
    """The engine's matches, each alias bound to its whole fact (with ``n``, its place in ``facts``).
    The engine is given only the fields some condition tests, and ``n``: whole facts, with their
    cell lists and texts, would cost more to serialise than to match; only matched facts are dumped."""
    fields = _compiled(rulebook)[2]
    slim = [{**{k: getattr(fact, k) for k in _tested(type(fact), fields)}, "n": n} for n, fact in enumerate(facts)]
    dumps: dict[int, dict] = {}

    def whole(n: int) -> dict:
        if n not in dumps:
            dumps[n] = dict(facts[n].model_dump(), n=n)
        return dumps[n]

    matches = engine_for(rulebook, engine).run(slim)
    return [(rule, {alias: whole(fact["n"]) for alias, fact in bound.items()}) for rule, bound in matches]


@lru_cache(maxsize=256)
def _tested(kind: type[Fact], fields: frozenset[str]) -> tuple[str, ...]:
    """The fields of a fact kind that some condition tests (scalars: the fact models say so)."""
    return tuple(name for name in kind.model_fields if name in fields)


def _template(source: str, rulebook: Rulebook) -> BoundedTemplate:
    return _made(source, rulebook.templates.get(source))


@lru_cache(maxsize=1024)
def _made(source: str, ahead: Precompiled | None) -> BoundedTemplate:
    """Templates are made once per process, from the code the rulebook keeps (compiling costs
    ~1 ms, rendering ~20 µs)."""
    return TEMPLATES.from_precompiled(ahead) if ahead else TEMPLATES.from_string(source)


def _render(spec: RuleSpec, field: str, source: str, values: dict, rulebook: Rulebook) -> str:
    """A rule's template rendered (sandboxed, within MESSAGE_LIMIT characters); whatever goes wrong
    is a RuleFileError naming the rule's file, the rule and the field."""
    try:
        return _template(source, rulebook).render(values)
    except (TemplateRenderError, TemplateError) as error:
        reason = error.reason if isinstance(error, TemplateRenderError) else " ".join(str(error).split())
        path = rulebook.paths.get(spec.id, rulebook.root)
        raise RuleFileError(str(path), _("模板无法渲染：{reason}").format(reason=reason), spec.id, field) from error


def _severity(spec: RuleSpec, fact: dict) -> Severity:
    if spec.severity_by:
        return spec.severity_by.values.get(str(fact[spec.severity_by.field]), spec.severity)
    return spec.severity


def _finding(spec: RuleSpec, fact: dict, doc: dict, rulebook: Rulebook, config: Config, where: Locator) -> Finding:
    values = {"fact": fact, "doc": doc}
    value = str(fact[spec.cases.field]) if spec.cases else ""
    case = spec.cases.values[value] if spec.cases else None  # covered at load
    message, suggestion = (
        (f"cases.values.{value}.{name}", getattr(case, name))
        if case and getattr(case, name)
        else (name, getattr(spec, name))
        for name in ("message", "suggestion")
    )
    start, end = where.original_span(fact["start"], fact["end"])
    edit = None
    if spec.edit:
        replacement = _render(spec, "edit.replace", spec.edit.replace, values, rulebook)
        if replacement != where.text.original[start:end]:  # an edit that changes nothing is none
            edit = Edit(start=start, end=end, replacement=replacement, safe=spec.edit.safe)
    basis_ref = fact.get("basis_ref")
    return Finding(
        rule=spec.id,
        severity=config.severity.get(spec.id) or (case and case.severity) or _severity(spec, fact),
        message=_render(spec, *message, values, rulebook),
        basis=rulebook.basis[basis_ref] if basis_ref else rulebook.basis_text(spec.basis_for(doc["regime"])),
        basis_ref=basis_ref,
        line=where.line(start),
        start=start,
        end=end,
        excerpt=where.excerpt(start, end),
        suggestion=_render(spec, *suggestion, values, rulebook),
        edit=edit,
        part=where.part(fact["start"]),
    )


def _reason(item: Unavailable, rulebook: Rulebook) -> str:
    """The sentence of a not-checked reason (rules/lexicon/not_checked.yaml)."""
    path = rulebook.root / "lexicon" / "not_checked.yaml"
    source = rulebook.not_checked.get(item.reason)
    if source is None:
        said = _("没有未检查原因 {reason!r}（由 {fact} 提取器给出）").format(reason=item.reason, fact=item.fact)
        raise RuleFileError(str(path), said)
    try:
        return _template(source, rulebook).render({"values": item.values})
    except (TemplateRenderError, TemplateError) as error:
        reason = error.reason if isinstance(error, TemplateRenderError) else " ".join(str(error).split())
        said = _("模板无法渲染：{reason}").format(reason=reason)
        raise RuleFileError(str(path), said, None, item.reason) from error


def _unavailable(spec: RuleSpec, missing: dict[str, str]) -> str | None:
    """Why a rule could not be checked: its ``when`` fact kind, else its ``absent`` one, is unavailable."""
    kinds = [spec.when.fact] + ([spec.absent.fact] if spec.absent else [])
    return next((missing[kind] for kind in kinds if kind in missing), None)


def _join_same_subject(found: list[tuple[Finding, str | None]], rulebook: Rulebook) -> None:
    """Findings about one wrong number are one problem (grading.yaml ``same_subject``): the first
    by severity, then rule id, keeps its severity; the others join it, and each names the others."""
    policy = rulebook.grading.same_subject
    groups: dict[str, list[Finding]] = {}
    for finding, subject in found:
        if subject:
            groups.setdefault(subject, []).append(finding)
    for group in groups.values():
        if len(group) < 2:
            continue
        first, *others = sorted(group, key=lambda f: (rank(f.severity), f.rule))
        for finding in group:
            finding.related = [f"{f.rule}@{f.line}" for f in group if f is not finding]
        for finding in others:
            finding.severity = policy.severity
            finding.message += policy.note.format(rule=first.rule, line=first.line)


def evaluate(
    facts: list[Fact], unavailable: list[Unavailable], rulebook: Rulebook, config: Config, where: Locator
) -> tuple[list[Finding], list[NotChecked]]:
    """Run the rulebook over one document's facts."""
    matches = _match(facts, rulebook, config.engine)
    document = next(f for f in facts if isinstance(f, DocumentFact))
    selected = {rid for rid, spec in rulebook.rules.items() if config.selects(rid, spec.name)}
    # Deterministic order: (start, rule), then the order the extractor produced the facts in.
    matches = sorted(matches, key=lambda m: (m[1]["f"]["start"], m[0], m[1]["f"]["n"]))
    found = [
        (
            _finding(rulebook.rules[rule_id], matched["f"], matched["doc"], rulebook, config, where),
            matched["f"].get("subject"),
        )
        for rule_id, matched in matches
        if rule_id in selected
    ]
    _join_same_subject(found, rulebook)
    findings = sorted((f for f, _ in found), key=lambda f: (f.start, f.rule))  # stable: original offsets keep the order
    missing: dict[str, str] = {}
    for item in unavailable:
        missing[item.fact] = "；".join(filter(None, (missing.get(item.fact), _reason(item, rulebook))))
    not_checked = [
        NotChecked(rule=rid, reason=reason)
        for rid, spec in sorted(rulebook.rules.items())
        if rid in selected
        and document.regime in spec.scope.regimes
        and document.issuer_kind in spec.scope.issuer_kinds
        and (reason := _unavailable(spec, missing))
    ]
    return findings, not_checked
