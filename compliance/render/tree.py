"""Stage 7: the section tree as indented text (``compliance parse``)."""

from __future__ import annotations

from compliance.models.tree import DocumentTree, Section
from compliance.render import shown

_CUT = 40


def _short(text: str) -> str:
    return shown(text if len(text) <= _CUT else text[:_CUT] + "…")


def _node(node, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(node, Section):
        heading = shown(node.heading.marker + node.heading.title)
        lines = [f"{pad}§{node.level} L{node.line} [{node.start}:{node.end}] {heading}"]
        for child in node.children:
            lines += _node(child, depth + 1)
        return lines
    if node.kind == "table":
        width = max((len(row) for row in node.rows), default=0)  # a table of |---| rules alone has none
        return [f"{pad}table L{node.line} [{node.start}:{node.end}] {len(node.rows)}×{width}"]
    return [f"{pad}¶ L{node.line} [{node.start}:{node.end}] {_short(node.text)}"]


def render_tree(tree: DocumentTree) -> str:
    lines = []
    if tree.title:
        lines.append(f"title L{tree.title.line} [{tree.title.start}:{tree.title.end}] {shown(tree.title.text)}")
    else:
        lines.append("title: (none)")
    for node in tree.preamble:
        lines += _node(node, 0)
    for section in tree.sections:
        lines += _node(section, 0)
    return "\n".join(lines) + "\n"
