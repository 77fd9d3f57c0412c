"""Stage 7: the correction notice as a .docx, laid out after GB/T 9704-2012 (党政机关公文格式).

What is followed: A4 and the 156 × 225 mm type area (§5.2: margins top 37, bottom 35, left 28,
right 26 mm); 3号 text on 22 lines a page (§5.2.3, fixed line pitch); the masthead in red 小标宋
over a red rule with the 发文字号 centred under it (§7.2); the title in 2号 小标宋, centred
(§7.3.1); the addressee flush left, ending in a full-width colon (§7.3.2); body paragraphs
indented two characters, headings 一、 in 黑体, （一） in 楷体, 1. in 仿宋 (§7.3.3); the signature
two characters from the right margin and the date under it starting two characters further
right, kept on one page with the last lines of the text, the date in Chinese form (§7.3.5); the
contact as a 附注 in parentheses under the date (§7.3.6); page numbers "— 1 —" in 4号 宋体
(§7.5). What is not: the seal, and the odd/even placement of page numbers."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

from compliance.render.notice import Notice

_BODY = Pt(16)  # 三号
_TITLE = Pt(22)  # 二号
_MASTHEAD = Pt(36)  # 小初
_PAGE_NUMBER = Pt(14)  # 四号
_MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
_TYPE_AREA = (Mm(156), Mm(225))
_LINE_PITCH = Twips(_TYPE_AREA[1].twips // 22)  # 22 lines fill the type area's height
_INDENT = Pt(2 * _BODY.pt)  # two characters of 三号
_RED = RGBColor(0xFF, 0x00, 0x00)
# Paragraph properties that come after w:pBdr in CT_PPr (those python-docx may have written).
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
# What XML 1.0 forbids (§2.2: C0 controls but tab, line feed and carriage return; surrogates;
# U+FFFE, U+FFFF): lxml refuses such a string. A draft may hold them (pdftotext puts a form feed
# between pages), and so may the options and the wording file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile("[\x0b\x0c\x1c-\x1f]")  # the controls Python counts as white space


def _xml(text: str) -> str:
    """``text`` as XML can hold it: the white-space controls (form feed, vertical tab, the
    separators) become spaces, the other forbidden characters are dropped."""
    return _NOT_XML.sub("", _SPACES.sub(" ", text))


def _font(run, name: str, size: Length, colour: RGBColor | None = None) -> None:
    name = _xml(name)
    run.font.name = name  # Latin text
    run.font.size = size
    # Chinese text takes the East Asian font; python-docx's font.name does not set it.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if colour is not None:
        run.font.color.rgb = colour


def _paragraph(
    document,
    text: str,
    font: str,
    size: Length = _BODY,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    right_indent: Length | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    if size < _LINE_PITCH:  # a font taller than the fixed pitch (the masthead) would be clipped
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = _LINE_PITCH
    if indent:
        layout.first_line_indent = _INDENT
    if right_indent is not None:
        layout.right_indent = right_indent
    if align is not None:
        paragraph.alignment = align
    if text := _xml(text):
        _font(paragraph.add_run(text), font, size, colour)
    return paragraph


def _masthead_size(text: str) -> Length:
    """小初, or smaller so that the masthead stays on one line of the type area (§7.2.2)."""
    return Pt(min(_MASTHEAD.pt, int(_TYPE_AREA[0].pt // max(len(text), 1))))


def _blank(document, lines: int, font: str) -> None:
    for _ in range(lines):
        _paragraph(document, "", font, indent=False)


def _red_rule(paragraph: Paragraph) -> None:
    """The red separator under the masthead (§7.2.4): a bottom border of the paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "12", "w:space": "12", "w:color": "FF0000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects a document whose paragraph properties are out of schema order. (OxmlElement is
    # typed as lxml's _Element; what it makes is the BaseOxmlElement insert_element_before takes.)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)  # type: ignore[arg-type]


def _page_numbers(section, font: str) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), font, _PAGE_NUMBER)
    _font(paragraph.add_run("1"), font, _PAGE_NUMBER)
    # The middle run becomes the PAGE field; its "1" is what viewers show before updating fields.
    number = paragraph.runs[-1]._r
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number.addprevious(field)
    field.append(number)
    _font(paragraph.add_run(" —"), font, _PAGE_NUMBER)


def _page_setup(document, fonts: dict[str, str]) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in _MARGINS.items():
        setattr(section, name, value)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = _xml(fonts["body"]), _BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _xml(fonts["body"]))
    _page_numbers(section, fonts["page_number"])


def docx_bytes(notice: Notice) -> bytes:
    fonts = notice.fonts
    document = Document()
    _page_setup(document, fonts)
    # Core properties hold 255 characters at most (python-docx refuses more).
    document.core_properties.title = _xml(notice.title)[:255]
    document.core_properties.author = _xml(notice.issuer)[:255]
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    if notice.masthead:
        size = _masthead_size(notice.masthead)
        ruled = _paragraph(document, notice.masthead, fonts["masthead"], size, align=centre, indent=False, colour=_RED)
        if notice.number:
            _blank(document, 2, fonts["body"])  # §7.2.3: the number two lines under the masthead
            ruled = _paragraph(document, notice.number, fonts["body"], align=centre, indent=False)
        _red_rule(ruled)
        _blank(document, 2, fonts["body"])  # §7.3.1: the title two lines under the rule
    elif notice.number:
        _paragraph(document, notice.number, fonts["body"], align=centre, indent=False)
        _blank(document, 1, fonts["body"])
    _paragraph(document, notice.title, fonts["title"], _TITLE, align=centre, indent=False)
    _blank(document, 1, fonts["body"])  # §7.3.2: the addressee one line under the title
    _paragraph(document, notice.addressee, fonts["body"], indent=False)
    for text in notice.opening:
        _paragraph(document, text, fonts["body"])
    _paragraph(document, notice.problems_heading, fonts["heading1"])
    for group in notice.groups:
        _paragraph(document, group.heading, fonts["heading2"])
        _paragraph(document, group.intro, fonts["body"])
        for number, item in enumerate(group.items, 1):
            _paragraph(document, f"{number}.{item.lead}", fonts["body"])
            for detail in item.details:
                _paragraph(document, detail, fonts["body"])
    _paragraph(document, notice.requirements_heading, fonts["heading1"])
    for text in [*notice.requirements, notice.closing]:
        _paragraph(document, text, fonts["body"])
    # The deadline and 特此通知 go over a page break with the signature and the date (and 附注).
    together = document.paragraphs[-2:]
    together.append(_paragraph(document, "", fonts["body"], indent=False))  # §7.3.5.2: one line under the text
    signature_indent, date_indent = _signature_indents(notice.issuer, notice.date)
    together.append(
        _paragraph(document, notice.issuer, fonts["body"], align=right, indent=False, right_indent=signature_indent)
    )
    date = _paragraph(document, notice.date, fonts["body"], align=right, indent=False, right_indent=date_indent)
    if notice.contact:
        together.append(date)
        _paragraph(document, notice.contact, fonts["body"])
    for paragraph in together:
        paragraph.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _width(text: str) -> float:
    """Width in characters of 三号: CJK characters are one, digits and Latin letters half."""
    return sum(1 if ord(c) >= 0x2E80 else 0.5 for c in text)


def _signature_indents(signature: str, date: str) -> tuple[Length, Length]:
    """Right indents of the signature and the date (§7.3.5.2, no seal): the signature two
    characters from the right margin, the date's first character two characters right of the
    signature's; a date longer than that moves the signature right, the date ending two
    characters from the margin."""
    signature_indent = max(2, 4 + _width(date) - _width(signature))  # in characters
    date_indent = signature_indent + _width(signature) - 2 - _width(date)
    return Pt(signature_indent * _BODY.pt), Pt(date_indent * _BODY.pt)
