"""The rulebook: every file under ``rules/``, loaded once, validated strictly.

Errors name the file, the rule and the field. Templates are checked here too: a rule may only
use ``fact`` (fields of its ``when`` fact kind) and ``doc`` (fields of the document fact)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, meta, nodes

from compliance.errors import RuleFileError
from compliance.models.facts import FACT_MODELS, DocumentFact
from compliance.models.rulespec import (
    DocumentKindLexicon,
    Grading,
    IssuerLexicon,
    PartLexicon,
    PatternSet,
    RegimeSpec,
    RuleSpec,
    TableLexicon,
)
from compliance.resources import read_model, read_yaml, rules_dir, validated

TEMPLATES = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_DATA_DIRS = {"regimes", "lexicon", "keypoints", "profiles", "notice"}


@dataclass(frozen=True)
class Rulebook:
    root: Path
    rules: dict[str, RuleSpec]
    basis: dict[str, str]
    grading: Grading
    regimes: dict[str, RegimeSpec]
    parts: PartLexicon
    patterns: dict[str, PatternSet]
    issuers: IssuerLexicon
    tables: TableLexicon
    doctypes: DocumentKindLexicon
    digest: str
    paths: dict[str, Path] = field(default_factory=dict)

    def regime_for_year(self, year: int) -> RegimeSpec:
        for regime in self.regimes.values():
            if regime.years[0] <= year <= regime.years[1]:
                return regime
        return self.regimes["ogi2019"]

    def basis_text(self, keys: list[str]) -> str:
        return "；".join(self.basis[k] for k in keys)


def check_template(
    source: str, allowed: dict[str, set[str] | None], path: Path, field_name: str,
    rule: str | None = None, environment: Environment = TEMPLATES,
) -> None:
    """A template of a data file reads only the variables ``allowed`` gives, and of each only the
    attributes it lists (None: any), so a typo fails at load, naming the file, rule and field."""
    try:
        parsed = environment.parse(source)
    except TemplateSyntaxError as error:
        raise RuleFileError(str(path), f"template error: {error.message}", rule, field_name) from error
    for name in sorted(meta.find_undeclared_variables(parsed)):
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise RuleFileError(str(path), f"unknown template variable {name!r} (known: {known})", rule, field_name)
    for node in parsed.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and allowed.get(node.node.name) is not None:
            if node.attr not in allowed[node.node.name]:
                raise RuleFileError(str(path), f"{node.node.name} has no field {node.attr!r}", rule, field_name)


def _check_rule(spec: RuleSpec, path: Path, basis: dict[str, str]) -> None:
    def fail(reason: str, field_name: str):
        raise RuleFileError(str(path), reason, spec.id, field_name)

    if spec.id != path.stem:
        fail(f"rule id must equal the file name ({path.stem})", "id")
    for key in spec.basis_keys():
        if key not in basis:
            fail(f"unknown basis key {key!r} (see rules/basis.yaml)", "basis")
    if isinstance(spec.basis, dict) and (uncovered := [r for r in spec.scope.regimes if not spec.basis.get(r)]):
        fail(f"no basis for the regimes {', '.join(uncovered)} the rule applies to", "basis")
    model = FACT_MODELS.get(spec.when.fact)
    if model is None:
        fail(f"unknown fact kind {spec.when.fact!r}; known: {', '.join(sorted(FACT_MODELS))}", "when.fact")
    for key in spec.when.where:
        if key not in model.model_fields:
            fail(f"fact {spec.when.fact!r} has no field {key!r}", f"when.where.{key}")
    if spec.severity_by and spec.severity_by.field not in model.model_fields:
        fail(f"fact {spec.when.fact!r} has no field {spec.severity_by.field!r}", "severity_by.field")
    if spec.absent:
        other = FACT_MODELS.get(spec.absent.fact)
        if other is None:
            fail(f"unknown fact kind {spec.absent.fact!r}", "absent.fact")
        for key in spec.absent.same:
            if key not in model.model_fields or key not in other.model_fields:
                fail(f"field {key!r} is not in both {spec.when.fact!r} and {spec.absent.fact!r}", "absent.same")
    templates = {"message": spec.message, "suggestion": spec.suggestion}
    if spec.edit:
        templates["edit.replace"] = spec.edit.replace
    allowed = {"fact": set(model.model_fields), "doc": set(DocumentFact.model_fields)}
    for field_name, source in templates.items():
        check_template(source, allowed, path, field_name, spec.id)


def _load_rules(root: Path, basis: dict[str, str]) -> tuple[dict[str, RuleSpec], dict[str, Path]]:
    rules: dict[str, RuleSpec] = {}
    paths: dict[str, Path] = {}
    for path in sorted(root.glob("*/*.yaml")):
        if path.parent.name in _DATA_DIRS:
            continue
        data = read_yaml(path)
        rule_id = data.get("id") if isinstance(data, dict) else None
        spec = validated(RuleSpec, path, data, rule=rule_id)
        _check_rule(spec, path, basis)
        if spec.id in rules:
            raise RuleFileError(str(path), f"duplicate rule id (also in {paths[spec.id]})", spec.id, "id")
        rules[spec.id], paths[spec.id] = spec, path
    return rules, paths


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_rulebook(root: Path) -> Rulebook:
    """Load and validate every file of a rules directory."""
    basis = read_yaml(root / "basis.yaml")
    regimes = {
        spec.id: spec
        for path in sorted((root / "regimes").glob("*.yaml"))
        for spec in [read_model(path, RegimeSpec)]
    }
    for regime in regimes.values():
        for item in regime.items:
            if item.basis not in basis:
                raise RuleFileError(str(root / "regimes" / f"{regime.id}.yaml"), f"unknown basis key {item.basis!r}")
    patterns_path = root / "lexicon" / "patterns.yaml"
    rules, paths = _load_rules(root, basis)
    return Rulebook(
        root=root,
        rules=rules,
        basis=basis,
        grading=read_model(root / "grading.yaml", Grading),
        regimes=regimes,
        parts=read_model(root / "lexicon" / "parts.yaml", PartLexicon),
        patterns={k: validated(PatternSet, patterns_path, v) for k, v in read_yaml(patterns_path).items()},
        issuers=read_model(root / "lexicon" / "issuers.yaml", IssuerLexicon),
        tables=read_model(root / "lexicon" / "tables.yaml", TableLexicon),
        doctypes=read_model(root / "lexicon" / "doctypes.yaml", DocumentKindLexicon),
        digest=_digest(root),
        paths=paths,
    )


@cache
def default_rulebook() -> Rulebook:
    return load_rulebook(rules_dir())
