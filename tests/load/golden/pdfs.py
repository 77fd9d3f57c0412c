"""What the PDF loader yields, exactly, for every PDF of shared/corpus, a LibreOffice rendering of a
fixture report (report_2021_libreoffice.pdf beside this file) and PDFs built here that exercise
the content-stream syntax (strings, names, numbers, arrays, marked content, inline images, form
XObjects, content split over several streams): the text and every block and cell with its
offsets, or the refusal's reason; and how many operations each counts, exactly, through the
limits (the smallest ``max-pdf-operations`` and ``max-pdf-page-operations`` that pass, and the
reasons one less gives). Held by tests/load/test_pdf_golden.py, so that work on the loader's speed
cannot change what it reads; a change that is meant is regenerated and reviewed in the diff:

    .venv/bin/python tests/load/golden/pdfs.py     # rewrites tests/load/golden/pdfs.json
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1]
CORPUS = TESTS.parents[1] / "shared" / "corpus"
GOLDEN = HERE / "pdfs.json"
# The limits are searched for in documents this small (the corpus reports count fewer than this).
_MOST = 1_000_000


def _pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    sys.path.insert(0, str(TESTS / "fixtures"))
    from builders import pdf_file

    return pdf_file(objects, trailer)


def _stream(data: bytes, extra: bytes = b"", flate: bool = True) -> bytes:
    body = zlib.compress(data, 9) if flate else data
    return b"<< /Length %d%s%s >>\nstream\n" % (len(body), b" /Filter /FlateDecode" if flate else b"", extra) + (
        body + b"\nendstream"
    )


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
COURIER = b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"


TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test def 1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar <0001> <4E2D> <0002> <6587> <0003> <0020> endbfchar
1 beginbfrange <0010> <0012> <0041> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"""


def _cid_font(encoding: bytes) -> bytes:
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestCID /Encoding /%s /DescendantFonts [7 0 R] /ToUnicode 9 0 R >>"
        % (encoding)
    )


FONTS = [
    HELVETICA,
    COURIER,
    _cid_font(b"Identity-H"),
    _cid_font(b"Identity-V"),
    (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCID /CIDSystemInfo << /Registry (Adobe) /Ordering "
        b"(Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /W [1 [500 600] 16 18 700] >>"
    ),
    (
        b"<< /Type /FontDescriptor /FontName /TestCID /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    ),
]
FONT_RESOURCES = b"/Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R /F4 6 0 R >>"


def built(
    pages: list[list[bytes]], xobjects: list[bytes] = (), rotate: int = 0, mediabox: bytes = b"[0 0 595 842]"
) -> bytes:
    """Pages of content streams (several streams make /Contents an array), fonts F1 (Helvetica),
    F2 (Courier), F3 and F4 (a CID font, horizontal and vertical, with a ToUnicode map), form
    XObjects X1, X2… given as whole stream objects."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", *FONTS, _stream(TO_UNICODE)]
    xobject_refs = []
    for form in xobjects:
        objects.append(form)
        xobject_refs.append(len(objects))
    names = b" ".join(b"/X%d %d 0 R" % (n, ref) for n, ref in enumerate(xobject_refs, 1))
    resources = b"<< %s /XObject << %s >> >>" % (FONT_RESOURCES, names)
    kids = []
    for streams in pages:
        refs = []
        for data in streams:
            objects.append(_stream(data))
            refs.append(len(objects))
        contents = b"%d 0 R" % refs[0] if len(refs) == 1 else b"[" + b" ".join(b"%d 0 R" % r for r in refs) + b"]"
        rotation = b" /Rotate %d" % rotate if rotate else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s%s /Resources %s /Contents %s >>"
            % (mediabox, rotation, resources, contents)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return _pdf_file(objects)


def form(content: bytes, bbox: bytes = b"[0 0 595 842]", matrix: bytes = b"") -> bytes:
    resources = b" /Resources << %s >>" % FONT_RESOURCES
    return _stream(content, b" /Type /XObject /Subtype /Form /BBox %s%s%s" % (bbox, matrix, resources))


def text(x: float, y: float, line: bytes, font: bytes = b"/F1 11 Tf") -> bytes:
    return b"BT %s %g %g Td (%s) Tj ET\n" % (font, x, y, line)


def grid(x0: float, top: float, widths: list[float], rows: list[list[bytes]], height: float = 20) -> bytes:
    """A ruled table: cell borders as stroked rectangles, every row's texts, a blank cell for b""."""
    out = [b"0.5 w 0 0 0 RG\n"]
    for r, row in enumerate(rows):
        x, y = x0, top - (r + 1) * height
        for c, width in enumerate(widths):
            out.append(b"%g %g %g %g re S\n" % (x, y, width, height))
            if c < len(row) and row[c]:
                out.append(text(x + 3, y + 6, row[c], b"/F1 9 Tf"))
            x += width
    return b"".join(out)


def _drawn_tables() -> bytes:
    page1 = (
        text(72, 780, b"Annual report on open government information")
        + text(72, 750, b"Part two: tables")
        + grid(
            72, 730, [150, 100, 100], [[b"Item", b"Made", b"Repealed"], [b"Rules", b"1", b"0"], [b"Norms", b"8", b"26"]]
        )
        # a caption row across the whole width splits the table; lines drawn with m/l, not rectangles
        + b"72 600 m 422 600 l S 72 580 m 422 580 l S 72 600 m 72 580 l S 422 600 m 422 580 l S\n"
        + text(75, 586, b"Article 20 item five")
        + grid(72, 580, [150, 100, 100], [[b"Licences", b"12", b""], [b"Penalties", b"3", b"4"]])
        # merged cells: one rectangle over two columns, then one over two rows
        + b"72 500 350 20 re S\n"
        + text(75, 506, b"Review", b"/F1 9 Tf")
        + grid(72, 480, [175, 175], [[b"kept", b"changed"], [b"5", b"6"]])
        + b"72 400 100 40 re S 172 420 250 20 re S 172 400 250 20 re S\n"
        + text(75, 416, b"Both rows", b"/F1 9 Tf")
        + text(175, 426, b"first", b"/F1 9 Tf")
        + text(175, 406, b"second", b"/F1 9 Tf")
        + text(72, 370, b"Boxed prose is not a table:")
        + b"72 300 350 60 re S\n"
        + text(80, 340, b"a sentence inside a drawn frame")
        + b"q 0.9 g 72 250 200 20 re f Q\n"
        # a table at the foot of the page, continued on the next
        + grid(72, 200, [150, 100, 100], [[b"Matter", b"Open", b"Closed"], [b"Permits", b"7", b"1"]])
        + text(290, 40, b"- 1 -")
    )
    page2 = (
        grid(72, 800, [150, 100, 100], [[b"Fees", b"2", b"0"], [b"Other", b"", b"5"]])
        + text(72, 700, b"After the continued table.")
        + text(297, 420, b"42")
        + text(290, 40, b"Page 2 of 2")
    )
    return built([[page1], [page2]])


def _syntax() -> bytes:
    """Strings, names and numbers in every form the content-stream syntax allows."""
    page = b"".join(
        [
            b"% a comment ( with [ brackets\r\n",
            b"BT /F1 12 Tf 72 800 Td (Escapes: \\(a\\) \\\\ \\101\\102\\7 tab\\there) Tj ET\n",
            b"BT /F1 12 Tf 72 780 Td (Nested (parens (twice)) here)Tj ET\n",
            b"BT /F1 12 Tf 72 760 Td (Line \\\ncontinued\\\r\n and \\q unknown) Tj ET\n",
            b"BT /F1 12 Tf 72 740 Td <48 65 6c6C6f2C 20776f726c64 2>Tj ET\n",
            b"BT/F1 12 Tf 72 720 Td[(Kern)-250(ed)120( T)80(J)]TJ ET\n",
            b"BT /F#31 12 Tf 72 700 Td (Name with a hex escape) Tj ET\n",
            b"BT /F1 12 Tf +72 -.5 Td 0 680.5 Td 1. 0 0 1. 0 0 cm (Signed and dotted numbers) Tj ET\n",
            b"BT /F1 12 Tf 14 TL 72 660 Td (First) Tj T* (Second) Tj (Third) ' 2 1 (Fourth) \" ET\n",
            b"BT /F1 12 Tf 2 Tc 3 Tw 90 Tz 1 Ts 0 Tr 72 600 Td (Spaced out) Tj ET\n",
            b"/Span << /MCID 0 /ActualText (x) >> BDC BT /F1 12 Tf 72 580 Td (Marked content) Tj ET EMC\n",
            b"/Artifact BMC BT /F1 12 Tf 72 560 Td (Artifact) Tj ET EMC /P /MP /P << /A 1 >> DP\n",
            b"q 1 0 0 1 10 0 cm BT /F2 10 Tf 62 540 Td (Courier, moved) Tj ET Q\n",
            b"BT /F1 12 Tf 72 520 Td (Stray) Tj ] >> ET\n",
            b"BT /F1 12 Tf 72 500 Td (Too few) 1 Td (operands) Tj ET\n",
            b"BT /F1 12 Tf 72 480 Td [ (array) Tj 1 2 ] pop (Keyword in an array) Tj ET\n",
            b"BT /F1 12 Tf 72 460 Td true false null (Booleans) Tj ET\n",
            b"BT /F1 12 Tf 72 440 Td 1-2 3.4.5 -- +.5 (Odd numbers) Tj ET\x00\n",
            (
                b"BT /F1 12 Tf 300 420 Td (N1) Tj ..5 -30 Td (N2) Tj 1-20 Td (N3) Tj 5.. -30 Td (N4) Tj "
                b"+.5 -30. Td (N5) Tj ET\n"
            ),
            b"BT /F1 12 Tf 72 420 Td (Unknown operator) Tj xyz 1 2 abc ET\n",
            b"/P <</MCID 5>> BDC BT /F1 12 Tf 72 400 Td (Tagged, then a path of no segment) Tj ET 90 90 l S EMC\n",
            b"BT /F1 12 Tf 72 380 Td <</Dict 1>> pop (After a dict) Tj ET\n",
            b"0 0 1 rg 1 0 0 RG 0.5 g 0.2 G 0 0 0 1 k 0 0 0 1 K /DeviceRGB cs 0 1 0 sc /DeviceGray CS 0 SC\n",
            b"72 300 m 200 300 l 200 350 250 350 300 300 c 320 320 340 300 v 360 280 380 300 y h S\n",
            b"[3 2] 0 d 2 J 1 j 4 M 72 280 m 300 280 l S [] 0 d\n",
            b"72 200 100 50 re B 200 200 100 50 re b* 72 150 50 30 re f* 72 100 50 30 re W n\n",
            b"BT /F1 12 Tf 72 60 Td (Last line without a newline) Tj ET",
        ]
    )
    return built([[page]])


def _plain_syntax() -> bytes:
    """The syntax again without strings that escape or nest, hex strings with spaces, names with #
    or procedures: the kinds of token read at once (``_TUPLES``)."""
    page = b"".join(
        [
            b"% a comment [ with brackets\r\n",
            b"BT/F1 12 Tf 72 800 Td[(Kern)-250(ed)120( T)80(J)]TJ ET\n",
            b"BT /F1 12 Tf +72 -.5 Td 0 780.5 Td 1. 0 0 1. 0 0 cm (Signed and dotted numbers) Tj ET\n",
            b"BT /F1 12 Tf 14 TL 72 760 Td (First) Tj T* (Second) Tj (Third) ' 2 1 (Fourth) \" ET\n",
            b"BT /F1 12 Tf 2 Tc 3 Tw 90 Tz 1 Ts 0 Tr 72 700 Td (Spaced out) Tj ET\n",
            b"/Span << /MCID 0 /ActualText (x) >> BDC BT /F1 12 Tf 72 680 Td (Marked content) Tj ET EMC\n",
            b"/P <</MCID 5>> BDC BT /F1 12 Tf 72 660 Td (Tagged, then a path of no segment) Tj ET 90 90 l S EMC\n",
            b"q 1 0 0 1 10 0 cm BT /F2 10 Tf 62 640 Td (Courier, moved) Tj ET Q\n",
            b"BT /F1 12 Tf 72 620 Td (Stray) Tj ] >> ET\n",
            b"BT /F1 12 Tf 72 600 Td (Too few) 1 Td (operands) Tj ET\n",
            b"BT /F1 12 Tf 72 580 Td [ (array) Tj 1 2 ] pop (Keyword in an array) Tj ET\n",
            b"BT /F1 12 Tf 72 560 Td true false null (Booleans) Tj ET\n",
            b"BT /F1 12 Tf 72 540 Td 1-2 3.4.5 -- +.5 . (Odd numbers) Tj ET\x00\n",
            (
                b"BT /F1 12 Tf 300 420 Td (N1) Tj ..5 -30 Td (N2) Tj 1-20 Td (N3) Tj 5.. -30 Td (N4) Tj "
                b"+.5 -30. Td (N5) Tj ET\n"
            ),
            b"BT /F1 12 Tf 72 520 Td (Unknown operator) Tj xyz 1 2 abc ET\n",
            b"BT /F1 12 Tf 72 500 Td <</Dict [1 2 <</In 3>>] /Empty ()>> pop (After a dict) Tj ET\n",
            b"BT /F1 12 Tf 72 480 Td <48656c6c6f> Tj <> Tj <486> Tj / pop (Hex and an empty name) Tj ET\n",
            b"BT /F3 14 Tf 72 460 Td <000100020003> Tj (, and) Tj /F1 12 Tf ( Latin) Tj ET\n",
            b"BT /F1 12 Tf 72 440 Td (A) 5 Tj (B) [1 (C)] Tj (D) TJ ET\n",
            b"0 0 1 rg 1 0 0 RG 0.5 g 0.2 G 0 0 0 1 k 0 0 0 1 K /DeviceRGB cs 0 1 0 sc /DeviceGray CS 0 SC\n",
            b"(a) (b) (c) cm (d) w 72 300 m 200 300 l 200 350 250 350 300 300 c h S 72 200 100 50 re B\n",
            b"BT /F1 12 Tf 72 60 Td (Last line without a newline) Tj ET",
        ]
    )
    return built([[page]])


def _split_streams() -> bytes:
    """One page drawn by several content streams, cut between tokens and inside those that the
    cut ends as a space would (numbers, operators, names, comments, arrays, dictionaries)."""
    return built(
        [
            [
                b"BT /F1 12 Tf 72 7",
                b"00 Td (Hello, split) Tj ET BT /F1 12 Tf 72 680 Td [(Array) 10",
                b" (split)] TJ ET BT /F",
                b"1 12 Tf 72 660 Td <4865 78> Tj E",
                b"T /P <</MCID 3",
                b" /Lang (en)>> BDC BT /F1 12 Tf 72 640 Td (tagged) Tj ET EMC % comment at the cut",
                b" 72 580 Td BT /F1 12 Tf 72 620 Td (after the comment) Tj ET\n",
            ],
            [b"BT /F1 12 Tf 72 700 Td (Second page, first stream) Tj ET", b"", b"BT /F1 12 Tf 72 680 Td (third) Tj ET"],
        ]
    )


def _fallbacks() -> list[tuple[str, bytes]]:
    """Pages that pdfminer's interpreter reads (the fast reading is not sure to read them as it
    does), one construct each."""
    start = text(72, 800, b"Readable line")
    cuts = {
        "open-string": [b"BT /F1 12 Tf 72 700 Td (Hel", b"lo, a string cut between two streams) Tj ET"],
        "open-paren": [b"BT /F1 12 Tf 72 700 Td (", b"open paren at the cut) Tj ET"],
        "slash": [b"BT /", b"F1 12 Tf 72 700 Td (slash at the cut) Tj ET"],
        "less-than": [b"BT /F1 12 Tf 72 700 Td <", b"</A 1>> pop (dict at the cut) Tj ET"],
        "hex-string-end": [b"BT /F1 12 Tf 72 700 Td <41>", b"> pop (hex at the cut) Tj ET"],
        "greater-than": [b"BT /F1 12 Tf 72 700 Td <</A 1>", b"> pop (dict end at the cut) Tj ET"],
        "name-escape": [b"BT /F#3", b"1 12 Tf 72 700 Td (escape at the cut) Tj ET"],
    }
    found = [(f"built/cut-{name}.pdf", built([[start, *streams]])) for name, streams in cuts.items()]
    return found + [
        ("built/procedure.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td {(proc)} pop (braces) Tj ET"]])),
        ("built/array-closed-by-dict-end.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td [(a) >> (b)] TJ ET"]])),
        ("built/octal-escape-past-255.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td (\\777) Tj ET"]])),
    ]


def _cid_fonts() -> bytes:
    """A two-byte font (Identity-H, and Identity-V: vertical) with a ToUnicode map, and a glyph
    it does not map; media box and crop box away from the origin."""
    page = (
        b"BT /F3 14 Tf 2 Tc 5 Tw 72 700 Td <000100020003 00100011 0012> Tj ET\n"
        b"BT /F3 14 Tf 72 680 Td [<0001> -500 <0002> 120 <0099>] TJ ET\n"
        b"BT /F4 14 Tf 300 600 Td <000100020010> Tj ET\n"
        b"BT /F1 12 Tf 72 500 Td (Latin after, long enough that one unmapped glyph is not most of the text) Tj ET\n"
    )
    return built([[page]], mediabox=b"[20 30 615 872] /CropBox [25 35 600 860]")


def _inline_image_and_forms() -> bytes:
    image = b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\xff\x00 EI Q\n"
    page = (
        text(72, 800, b"Before the inline image")
        + b"q 20 0 0 20 72 760 cm "
        + image
        + text(72, 740, b"After the inline image")
        + b"q 1 0 0 1 0 -100 cm /X1 Do Q\n"
        + b"/X2 Do\n"
        + text(72, 500, b"After the forms")
    )
    first = form(text(72, 700, b"Text in a form") + b"72 650 200 20 re S\n")
    second = form(text(72, 600, b"Scaled form") + b"/X1 Do\n", matrix=b" /Matrix [1 0 0 1 0 -50]")
    return built([[page]], [first, second])


def _unterminated() -> list[tuple[str, bytes]]:
    start = text(72, 800, b"Readable line")
    return [
        ("built/unterminated-string.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td (never closed"]])),
        ("built/unterminated-array.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td [(never closed) 1 2"]])),
        ("built/unterminated-hex.pdf", built([[start + b"BT /F1 12 Tf 72 700 Td <4142"]])),
        ("built/odd-dict.pdf", built([[start + b"/P << /MCID >> BDC (x) Tj EMC"]])),
    ]


def _rotated() -> bytes:
    return built([[text(72, 800, b"A rotated page") + text(72, 780, b"second line")]], rotate=90)


def _lines(count: int) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td " + b"(Annual report 2024) Tj 0 -14 Td " * count + b"ET"


def documents() -> dict[str, Callable[[], bytes]]:
    """Name → the PDF's bytes, for the PDFs on this machine."""
    found: dict[str, Callable[[], bytes]] = {}
    for path in sorted(CORPUS.glob("*.pdf")):
        found[f"corpus/{path.name}"] = path.read_bytes
    found["golden/report_2021_libreoffice.pdf"] = (HERE / "report_2021_libreoffice.pdf").read_bytes
    found["built/drawn-tables.pdf"] = _drawn_tables
    found["built/syntax.pdf"] = _syntax
    found["built/plain-syntax.pdf"] = _plain_syntax
    found["built/split-streams.pdf"] = _split_streams
    found["built/inline-image-and-forms.pdf"] = _inline_image_and_forms
    found["built/rotated.pdf"] = _rotated
    found["built/cid-fonts.pdf"] = _cid_fonts
    found["built/pages.pdf"] = lambda: built([[_lines(20)] for _ in range(10)])
    for name, data in _unterminated() + _fallbacks():
        found[name] = lambda data=data: data
    for share in (0.1, 0.5, 0.95):
        path = CORPUS / "huaian-hongze-2023.pdf"
        if path.exists():
            found[f"corpus/huaian-hongze-2023.pdf cut at {share}"] = lambda p=path, s=share: p.read_bytes()[
                : int(len(p.read_bytes()) * s)
            ]
    return found


def read(data: bytes, **limits) -> dict:
    """The loaded text and blocks (compact: ["p", start, end], or ["t", start, end, cells] with a
    cell as [row, col, text, start, end, rowspan, colspan, merged_into]), or the refusal."""
    from compliance.errors import InputError
    from compliance.load import load_bytes
    from compliance.models.config import Limits

    try:
        source = load_bytes(data, "golden.pdf", Limits(**limits))
    except InputError as error:
        return {"error": error.reason}
    blocks: list[list] = []
    for block in source.blocks:
        if block.kind == "paragraph":
            blocks.append(["p", block.start, block.end])
        else:
            cells = [
                [c.row, c.col, c.text, c.start, c.end, c.rowspan, c.colspan, c.merged_into and list(c.merged_into)]
                for c in block.cells
            ]
            blocks.append(["t", block.start, block.end, cells])
    return {"format": source.format, "sha256": source.sha256, "lines": source.text.split("\n"), "blocks": blocks}


def _smallest(passes: Callable[[int], bool]) -> int:
    low, high = 1, _MOST  # passes(high) holds
    while low < high:
        middle = (low + high) // 2
        if passes(middle):
            high = middle
        else:
            low = middle + 1
    return low


def operations(data: bytes) -> dict:
    """The smallest limits on operations that let the PDF load, and what one less says."""
    total = _smallest(lambda n: "error" not in read(data, **{"max-pdf-operations": n}))
    page = _smallest(lambda n: "error" not in read(data, **{"max-pdf-page-operations": n}))
    return {
        "max-pdf-operations": total,
        "one less": read(data, **{"max-pdf-operations": total - 1})["error"],
        "max-pdf-page-operations": page,
        "one less on a page": read(data, **{"max-pdf-page-operations": page - 1})["error"],
    }


def said(data: bytes) -> dict:
    result = read(data)
    if "error" not in result:
        result["operations"] = operations(data)
    return result


def dumps(everything: dict) -> str:
    """JSON with a line per text line, block and cell: diffs show what changed."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    out = ["{"]
    for n, (name, result) in enumerate(everything.items()):
        out.append(f" {one(name)}: {{")
        fields = []
        for key, value in result.items():
            if key == "lines":
                fields.append('  "lines": [\n' + ",\n".join(f"   {one(line)}" for line in value) + "\n  ]")
            elif key == "blocks":
                rows = []
                for block in value:
                    if block[0] == "p":
                        rows.append(f"   {one(block)}")
                    else:
                        cells = ",\n".join(f"     {one(cell)}" for cell in block[3])
                        rows.append(f"   [{one(block[0])}, {block[1]}, {block[2]}, [\n{cells}\n   ]]")
                fields.append('  "blocks": [\n' + ",\n".join(rows) + "\n  ]")
            else:
                fields.append(f"  {one(key)}: {one(value)}")
        out.append(",\n".join(fields))
        out.append(" }" + ("," if n < len(everything) - 1 else ""))
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> int:
    sys.path.insert(0, str(TESTS.parent))
    everything = {name: said(make()) for name, make in documents().items()}
    GOLDEN.write_text(dumps(everything), encoding="utf-8")
    print(f"{GOLDEN}: {len(everything)} PDFs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
