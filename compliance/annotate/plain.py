"""A draft that is not a .docx (.txt, .md, .html, .pdf) as a plain .docx of its loaded text: a
paragraph per line, each table of the loader's blocks a real Word table (merged cells merged), so
its comments and changes can sit on runs as in a .docx draft."""

from __future__ import annotations

import io

from docx import Document

from compliance.models.source import Source, TableBlock


def _table(document, block: TableBlock) -> None:
    rows = max(cell.row for cell in block.cells) + 1
    columns = max(cell.col for cell in block.cells) + 1
    table = document.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    for cell in block.cells:
        if cell.merged_into is None and cell.text:
            table.cell(cell.row, cell.col).paragraphs[0].add_run(cell.text)
    for cell in block.cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            table.cell(cell.row, cell.col).merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))


def plain_docx(source: Source) -> bytes:
    document = Document()
    for block in source.blocks:
        if isinstance(block, TableBlock):
            if block.cells:
                _table(document, block)
        else:
            document.add_paragraph(source.text[block.start : block.end])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
