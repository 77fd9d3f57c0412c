"""Stage 3 postlexer: turns the line tokens into a layout the grammar can parse.

It keeps a stack of open heading levels and emits ``_SECTION_END`` for every section a heading
closes (the trick ``lark.indenter.Indenter`` uses for indentation), closes paragraphs and tables
(``_PARA_END``, ``_TABLE_END``), joins lines that extraction broke mid-sentence into one
paragraph, retags the title lines (and the page chrome before them), and demotes lines that only
look like headings."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lark import Token

HEADING_LEVELS = {"H_CN": 1, "H_PAREN_CN": 2, "H_ARABIC": 3, "H_PAREN_ARABIC": 4}

# A line ending like this ends its paragraph; any other line was wrapped by extraction.
_PARAGRAPH_END = re.compile(r"[。！？；!?;…”’」』）)】]\s*$")
_SENTENCE_PUNCT = re.compile(r"[，。；：,;:！？!?]")
_DATE_LINE = re.compile(r"^\s*[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年.{1,6}日\s*$")
# Lines shorter than this are not wrapped prose (a signature, a caption, a label).
_MIN_WRAPPED = 15
# Heading text before its first sentence mark longer than this is prose that begins with an
# ordinal, not a heading.
_MAX_HEADING_TITLE = 60
_TITLE_MAX = 50
_TITLE_LINES = 3


def known(position: int | None) -> int:
    """A token's position as lark's lexer gave it (lark types positions Optional: a token made by
    hand may have none; every token here has them)."""
    assert position is not None
    return position


def _token(
    kind: str,
    value: str,
    *,
    start_pos: int | None,
    line: int | None,
    column: int | None,
    end_line: int | None,
    end_column: int | None,
    end_pos: int | None,
) -> Token:
    """A token: ``Token(...)`` with its positions passed on positionally (lark's ``Token.__new__``
    takes keywords through ``**kwargs``, which costs as much again as the token)."""
    return Token(kind, value, start_pos, line, column, end_line, end_column, end_pos)


def _joins(previous: Token, following: Token) -> bool:
    """Whether ``following`` continues the paragraph that ``previous`` started."""
    if known(following.line) != known(previous.end_line) + 1:  # a blank line between, or the same line
        return False
    text = previous.value.rstrip()
    # The whole line's width counts: a run-in heading's body is the tail of a long line.
    line_width = known(previous.end_column) - 1 - (len(previous.value) - len(text))
    if _PARAGRAPH_END.search(text) or line_width < _MIN_WRAPPED:
        return False
    return not _DATE_LINE.match(following.value)


def _is_false_heading(token: Token) -> bool:
    first_sentence = _SENTENCE_PUNCT.split(token.value.strip(), maxsplit=1)[0]
    return len(first_sentence) > _MAX_HEADING_TITLE


# A run-in heading ("（一）强化领导。各部门……") ends its title at the first full stop or colon;
# the rest of the line is the first paragraph of the section.
_RUN_IN_END = re.compile(r"[。：:]")


# A run-in heading with no stop after its words ("（一）基本情况今年，我区…") ends at its first comma
# when its first sentence is too long to be a heading: what follows is the paragraph.
_RUN_IN_COMMA = re.compile(r"[，,]")
_RUN_IN_TITLE = 16


def _split_run_in(token: Token) -> list[Token]:
    match = _RUN_IN_END.search(token.value)
    comma = _RUN_IN_COMMA.search(token.value, 0, _RUN_IN_TITLE)
    if comma and (not match or match.start() > _MAX_HEADING_TITLE):
        match = comma
    if not match or not token.value[match.end() :].strip():
        return [token]
    cut = match.end()
    rest = token.value[cut:]
    body = _token(
        "TEXT_LINE",
        rest,
        start_pos=known(token.start_pos) + cut,
        line=token.line,
        column=known(token.column) + cut,
        end_line=token.end_line,
        end_column=token.end_column,
        end_pos=token.end_pos,
    )
    head = _token(
        token.type,
        token.value[:cut],
        start_pos=token.start_pos,
        line=token.line,
        column=token.column,
        end_line=token.line,
        end_column=known(token.column) + cut,
        end_pos=known(token.start_pos) + cut,
    )
    return [head, body]


# A line this long has lost its line breaks (a crawler's or a careless copy's whole report on one
# line): it is cut before every heading that follows a sentence end, around the parts of the
# unified format wherever they stand (their titles are fixed), and after a title that leads it.
_LONG_LINE = 400
# Row labels of table 三 ("一、本年新收…", "（七）总计") open no section (grammars/report.lark).
_TABLE_ROW = (
    r"(?!本年新收|上年结转|本年度?办理结果|结转下年度|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计)"
)
# Where a heading begins after a stop or a space (only the end of a match is used: a run of spaces
# before it, matched as [ \u3000]*, would be scanned again from each of its positions: quadratic).
_INLINE_HEADING = re.compile(
    rf"(?<=[。；！？!?;:：\s])(?=[一二三四五六七八九十]{{1,2}}[、．]{_TABLE_ROW}|[（(][一二三四五六七八九十]{{1,2}}[）)]{_TABLE_ROW})"
)
_FORMAT_PART = re.compile(
    r"[一二三四五六七][、．](?:总体情况|概述|主动公开政府信息的?情况|收到和处理政府信息公开申请的?情况"
    r"|政府信息公开行政复议、行政诉讼情况|(?:政府信息公开工作)?存在的主要问题(?:及|和)改进(?:情况|措施)|其他需要报告的事项"
    r"|政府信息公开的?收费及减免情况)"
)
# The title among the first words of such a line, set apart by spaces (after a crawler's chrome:
# "当前位置： 首页… 平潭综合实验区2017年度政府信息公开工作年度报告 来源：…").
_LEADING_TITLE = re.compile(
    r"(?:^|(?<=[ \u3000]))[^，。；：,;:\s]{0,40}?[0-9０-９]{4}\s*年[^，。；：,;:\s]{0,30}?(?:报告|年报)(?=[ \u3000]+\S)"
)
_TITLE_WITHIN = 300
# The last word of a part's heading ("…情况", "…改进措施", "…事项", "一、概述").
_PART_TITLE_END = re.compile(r"情况|措施|事项|概述")
_PART_TITLE_MAX = 40
# The space after a heading's words (not the one after its ordinal: "一、 概述 推进…").
_TITLE_SPACE = re.compile(r"(?<=\S)[ \u3000](?<![、．）)][ \u3000])")
_KINDS = {
    "H_CN": re.compile(rf"[一二三四五六七八九十]{{1,2}}[、．]{_TABLE_ROW}"),
    "H_PAREN_CN": re.compile(rf"[（(][一二三四五六七八九十]{{1,2}}[）)]{_TABLE_ROW}"),
}


# A "（一）" piece whose first clause runs this long is a sentence that opens with an ordinal, glued
# to nothing that marks a title's end ("（一）主动公开政府信息的数量各乡镇、县直各单位…编目，"): prose.
_GLUED_TITLE = 20


def _piece(token: Token, start: int, end: int) -> Token:
    value = token.value[start:end]
    kind = next((k for k, pattern in _KINDS.items() if pattern.match(value.lstrip())), "TEXT_LINE")
    if kind == "H_PAREN_CN" and len(_SENTENCE_PUNCT.split(value.strip(), maxsplit=1)[0]) > _GLUED_TITLE:
        kind = "TEXT_LINE"
    return _token(
        kind,
        value,
        start_pos=known(token.start_pos) + start,
        line=token.line,
        column=known(token.column) + start,
        end_line=token.line,
        end_column=known(token.column) + end,
        end_pos=known(token.start_pos) + end,
    )


def _unfolded(token: Token) -> list[Token]:
    """A line without its line breaks, cut into the lines it had."""
    if token.type != "TEXT_LINE" or len(token.value) < _LONG_LINE:
        return [token]
    cuts = [m.end() for m in _INLINE_HEADING.finditer(token.value)]
    cuts += [at for m in _FORMAT_PART.finditer(token.value) for at in (m.start(), m.end())]
    title = _LEADING_TITLE.search(token.value, 0, _TITLE_WITHIN)
    cuts = sorted({0, *([title.start(), title.end()] if title else []), *cuts, len(token.value)})
    # A heading's words end at the first space: on a line that lost its breaks, that is where one
    # was ("四、…情况 行政复议…", "三、政府信息依申请公开工作情况 2011年全县…"); a part's heading run on
    # into its body with no space ends at its last word ("…的情况2016年我区…", "…情况行政复议 …").
    for a, b in itertools.pairwise(cuts):
        kind = _piece(token, a, b).type
        space = _TITLE_SPACE.search(token.value[a:b])
        end = _PART_TITLE_END.search(token.value, a, min(b, a + _PART_TITLE_MAX)) if kind == "H_CN" else None
        if end and (not space or end.end() < a + space.start()):
            cuts.append(end.end())
        elif kind != "TEXT_LINE" and space and space.start() <= _MAX_HEADING_TITLE:
            cuts.append(a + space.start())
    cuts.sort()
    pieces = [_piece(token, a, b) for a, b in itertools.pairwise(cuts) if token.value[a:b].strip()]
    return pieces if len(pieces) > 1 else [token]


def _retag(token: Token, kind: str) -> Token:
    return Token.new_borrow_pos(kind, token.value, token)


def _marker(kind: str, at: Token) -> Token:
    return Token.new_borrow_pos(kind, "", at)


# Where a title may stand: before the first heading and the first line of prose, within the first
# lines (a web page's chrome — breadcrumbs, 发布时间, 字号 — may come before it).
_TITLE_SEARCH = 15
# Page chrome, never part of a title: breadcrumb and field separators ("首页 > 年报", "作者：本站原创 |
# 来源：…"), a "字段：" label.
_CHROME_MARKS = re.compile(
    r"[>＞»|｜•·]|^[^，。；]{0,12}[：:]|^\s*(组配分类|主题分类|体裁分类|公开方式|标\s+题|名\s+称|索\s*引\s*号|发布机构)\s"
)
_PROSE = re.compile(r"[，。；！？,;!?]")
# A wrapped first line of prose, not a title ("本报告由…根据《中华人民共和").
_PROSE_OPENING = re.compile(r"^\s*(?:本|根据|按照|依据|依照|为)")
# A title line that does not name its issuer continues the line before it ("洪泽区人民政府" /
# "2023 年政府信息公开工作年度报告").
_TITLE_CONTINUES = re.compile(
    r"^\s*(?:[0-9０-９]{4}\s*年|[〇○零一二三四五六七八九]{4}年|(?:政府|政务)?信息公开|年度报告|工作年度报告|年报)"
)


def _short_line(token: Token) -> bool:
    text = token.value.strip()
    return (
        token.type == "TEXT_LINE"
        and len(text) <= _TITLE_MAX
        and not _PROSE.search(text)
        and not _CHROME_MARKS.search(text)
    )


def _title_span(tokens: list[Token]) -> tuple[int, int]:
    """(index of the first title line, number of title lines); (0, 0) when the draft has none.

    Lines before the title are page chrome: they stay in the body, where STYLE-RESIDUE sees them."""
    for index, token in enumerate(tokens[:_TITLE_SEARCH]):
        text = token.value.strip()
        if token.type in HEADING_LEVELS or (
            token.type == "TEXT_LINE" and _PROSE.search(text) and len(text) > _TITLE_MAX
        ):
            break  # the body has begun
        if not (_short_line(token) and ("报告" in text or "年报" in text)) or _PROSE_OPENING.match(text):
            continue
        first = index
        while (
            first > index - (_TITLE_LINES - 1)
            and first > 0
            and _TITLE_CONTINUES.match(tokens[first].value)
            and _short_line(tokens[first - 1])
        ):
            first -= 1
        return first, index - first + 1
    return 0, 0


def _rows_with_leading_tab(tokens: list[Token]) -> list[Token]:
    """A line whose only tab leads it ("\t本年处理决定数量") is a row when it touches a table;
    elsewhere it is an indented paragraph."""
    out = list(tokens)
    for i, token in enumerate(out):
        if token.type == "TEXT_LINE" and token.value.startswith("\t"):
            neighbours = out[max(i - 1, 0) : i] + out[i + 1 : i + 2]
            if any(n.type == "ROW_LINE" and abs(known(n.line) - known(token.line)) == 1 for n in neighbours):
                out[i] = _retag(token, "ROW_LINE")
    return out


class LayoutPostLexer:
    """Lark postlexer (``postlex=``)."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        tokens = [
            _retag(t, "TEXT_LINE") if t.type in HEADING_LEVELS and _is_false_heading(t) else t
            for token in stream
            for t in _unfolded(token)
        ]
        tokens = _rows_with_leading_tab(tokens)
        first, n_title = _title_span(tokens)
        for token in tokens[:first]:
            yield _retag(token, "CHROME_LINE")
        for token in tokens[first : first + n_title]:
            yield _retag(token, "TITLE_LINE")
        body = []
        for token in tokens[first + n_title :]:
            body.extend(_split_run_in(token) if token.type in HEADING_LEVELS else [token])
        yield from self._body(body)

    def _body(self, tokens: list[Token]) -> Iterator[Token]:
        levels: list[int] = []
        previous: Token | None = None
        for token in tokens:
            if previous is not None:
                if previous.type == "TEXT_LINE" and not (token.type == "TEXT_LINE" and _joins(previous, token)):
                    yield _marker("_PARA_END", previous)
                elif previous.type == "ROW_LINE" and token.type != "ROW_LINE":
                    yield _marker("_TABLE_END", previous)
            level = HEADING_LEVELS.get(token.type)
            if level is not None:
                while levels and levels[-1] >= level:
                    levels.pop()
                    yield _marker("_SECTION_END", token)
                levels.append(level)
            yield token
            previous = token
        if previous is not None and previous.type == "TEXT_LINE":
            yield _marker("_PARA_END", previous)
        elif previous is not None and previous.type == "ROW_LINE":
            yield _marker("_TABLE_END", previous)
        if levels:
            assert previous is not None  # a heading token opened each level
            for _ in levels:
                yield _marker("_SECTION_END", previous)
