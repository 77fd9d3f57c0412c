"""What fuzzing feeds the checker: random Unicode, text shaped like reports, mutations of the seeds
and fixtures, random tables, and random .docx and .html structures."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared"

# Pieces real drafts are made of, and the characters that break naive readers.
WORDS = [
    "政府信息公开",
    "年度报告",
    "主动公开",
    "依申请公开",
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "其中",
    "占",
    "共受理",
    "申请",
    "件",
    "条",
    "%",
    "年",
    "月",
    "日",
    "行政复议",
    "行政诉讼",
    "均获维持",
    "本年新收",
    "上年结转",
    "结转下年度",
    "总计",
    "自然人",
    "商业企业",
    "信息处理费",
    "考核",
    "社会评议",
    "责任追究",
    "XX",
    "某某",
    "首页 >",
    "当前位置：",
    "发布时间：",
    "http//",
    "＠",
    "〔2021〕",
    "[2021]",
    "2019531",
    "2月30日",
    "苏州市",
    "人民政府",
    "局",
]
MARKS = [
    "，",
    "。",
    "；",
    "：",
    "、",
    ",",
    ".",
    ";",
    ":",
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    '"',
    "《",
    "》",
    "<",
    ">",
    "|",
    "\t",
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "\f",
    "\r",
    "\x00",
    "\x0b",
    "\u200b",
    "\ufeff",
    "\ud7ff",
    "#",
    "&",
    "&amp;",
    "<script>",
]
ORDINALS = [
    "一、",
    "二、",
    "三、",
    "四、",
    "五、",
    "六、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2、",
    "（1）",
    "一.",
    "1.5",
]
NUMBERS = st.one_of(
    st.integers(-5, 10**12).map(str), st.sampled_from(["", "0", "—", "-", "无", "1,234", "12.5", "五", "3万"])
)

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=3000)
report_like = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(ORDINALS), NUMBERS), max_size=400
).map("".join)


@st.composite
def table_rows(draw) -> str:
    """A table 三 as copies give it: labels, numbers, blanks, tabs or pipes, empty cells."""
    labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "1.属于国家秘密",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        "（六）其他处理",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
        "自然人",
        "总计",
    ]
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        cells = [draw(st.sampled_from(labels + [""]))] + [draw(NUMBERS) for _ in range(draw(st.integers(0, 12)))]
        separator = draw(st.sampled_from(["\t", " | ", " "]))
        rows.append(separator.join(cells) + draw(st.sampled_from(["", " ||", "\t\t", " |"])))
    heading = draw(
        st.sampled_from(["三、收到和处理政府信息公开申请情况\n", "四、政府信息公开行政复议、行政诉讼情况\n", ""])
    )
    return "某局2021年政府信息公开工作年度报告\n" + heading + "\n".join(rows)


def _known(paths: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in paths if p.exists()]


KNOWN = _known(
    sorted(FIXTURES.glob("report_*.txt"))
    + sorted((SHARED / "seeds").glob("00[013]_*.txt"))
    + sorted((SHARED / "corpus").glob("*.txt"))
)


@st.composite
def mutated(draw) -> str:
    """A real or fixture report, cut, repeated, spliced and sprinkled the ways copies damage text."""
    text = draw(st.sampled_from(KNOWN))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 400)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "replace"]))
        if kind == "delete":
            text = text[:at] + text[end:]
        elif kind == "duplicate":
            text = text[:end] + text[at:end] + text[end:]
        else:
            piece = draw(
                st.one_of(st.sampled_from(MARKS + WORDS + ORDINALS), NUMBERS, unicode_text.map(lambda t: t[:40]))
            )
            text = text[:at] + piece + text[end if kind == "replace" else at :]
    return text


any_text = st.one_of(unicode_text, report_like, table_rows(), mutated())


@st.composite
def docx_bytes(draw) -> bytes:
    """A .docx of random paragraphs and tables, some cells merged."""
    import io

    from docx import Document

    document = Document()
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            document.add_paragraph(_xml_safe(draw(report_like)))
        else:
            rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 9))
            table = document.add_table(rows=rows, cols=columns)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = _xml_safe(draw(st.one_of(NUMBERS, st.sampled_from(WORDS))))
            if rows > 1 and columns > 1 and draw(st.booleans()):
                table.cell(0, 0).merge(table.cell(draw(st.integers(0, rows - 1)), draw(st.integers(0, columns - 1))))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml_safe(text: str) -> str:
    return "".join(
        c for c in text if c in "\t\n\r" or (" " <= c and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff")
    )


@st.composite
def html_text(draw) -> str:
    """A web page: nested blocks, tables with spans, scripts, entities, deep nesting."""
    depth = draw(st.integers(0, 400))
    body = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["p", "div", "table", "script", "br", "nav"]))
        text = draw(report_like).replace("<", "&lt;")
        if kind == "table":
            cells = "".join(
                f"<td colspan='{draw(st.integers(0, 70))}' rowspan='{draw(st.integers(0, 70))}'>{draw(NUMBERS)}</td>"
                for _ in range(draw(st.integers(0, 8)))
            )
            body.append(f"<table><tr>{cells}</tr></table>")
        else:
            body.append(f"<{kind}>{text}</{kind}>")
    return "<html><body>" + "<div>" * depth + "".join(body) + "</div>" * depth + "</body></html>"
