"""Stage 7: rule documentation (``compliance rules`` and ``compliance rules explain ID``)."""

from __future__ import annotations

from compliance.models.rulespec import ALL_ISSUER_KINDS, ALL_REGIMES, RuleSpec
from compliance.render import SEVERITY_LABELS
from compliance.rulebook import Rulebook


def render_rule_list(rulebook: Rulebook) -> str:
    width = max(len(rule_id) for rule_id in rulebook.rules)
    lines = [
        f"{spec.id:<{width}}  {SEVERITY_LABELS[spec.severity]}  {spec.title}  ({spec.name})"
        for spec in sorted(rulebook.rules.values(), key=lambda s: s.id)
    ]
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def _basis_lines(spec: RuleSpec, rulebook: Rulebook) -> list[str]:
    if isinstance(spec.basis, list):
        return [f"    {key}: {rulebook.basis[key]}" for key in spec.basis]
    return [
        f"    {rulebook.regimes[regime].label}（{regime}）：{rulebook.basis_text(keys)}"
        for regime, keys in spec.basis.items()
    ]


def render_rule(spec: RuleSpec, rulebook: Rulebook) -> str:
    regimes = "全部" if set(spec.scope.regimes) >= set(ALL_REGIMES) else "、".join(spec.scope.regimes)
    kinds = "全部" if set(spec.scope.issuer_kinds) >= set(ALL_ISSUER_KINDS) else "、".join(spec.scope.issuer_kinds)
    fix_kind = ""
    if spec.edit:
        fix_kind = "（可自动修改：安全）" if spec.edit.safe else "（可自动修改：需 --unsafe 确认）"
    parts = [
        f"{spec.id}  {spec.title}  ({spec.name})",
        f"严重程度：{SEVERITY_LABELS[spec.severity]} ({spec.severity})",
        f"适用：制度 {regimes}；机关 {kinds}",
        "依据：",
        *_basis_lines(spec, rulebook),
        "检查什么：",
        _indent(spec.doc.what),
        "为什么：",
        _indent(spec.doc.why),
        f"怎么改{fix_kind}：",
        _indent(spec.doc.fix),
        *_example_context(spec),
        "不合格的例子：",
        _indent(spec.examples.fail),
        "合格的例子：",
        _indent(spec.examples.pass_),
    ]
    return "\n".join(parts) + "\n"


def _example_context(spec: RuleSpec) -> list[str]:
    """What the examples are checked with: options, and last year's report for rules across years."""
    given = spec.examples.context
    options = [f"--{key.replace('_', '-')} {value}" for key, value in given.items() if key != "keypoints"]
    if "keypoints" in given:
        options.append("--keypoints（示例清单见规则文件 examples.context.keypoints）")
    lines = [f"例子的检查条件：{' '.join(options)}"] if options else []
    if spec.examples.previous:
        lines += ["上一年度报告（--previous）：", _indent(spec.examples.previous)]
    return lines
