"""Stage 1 helper of pdf.py: a PDF page's content streams run, counted, into pdfplumber's objects.

pdfminer's page interpreter reads a content stream a byte at a time through a state machine, logs
every token and makes an ``LTChar`` per glyph, which pdfplumber then turns into a dict: four
fifths of loading a report went there. ``FastInterpreter`` gives the same objects the short way:
the stream is cut into tokens by regular expressions (all at once with ``findall`` when they are
all of the common kinds), the operators reports use most run by this module's own functions (the others through
pdfminer's own ``do_*`` methods, with pdfminer's rules for operands), and a glyph of a horizontal
font becomes pdfplumber's char dict directly, computed as ``LTChar`` and ``Page.process_object``
compute it. Paths, images, figures and vertical text still go through pdfminer's device and
pdfplumber's ``process_object``. Fonts read their ToUnicode maps with the same tokens
(``FastCMapParser``) and leave an embedded TrueType program packed where it is not read
(``CIDFont``).

What the fast reading is not sure to read exactly as pdfminer does (inline images, ``{…}``
procedures, unbalanced arrays and dictionaries, some tokens at the end of one of several content
streams, streams met twice) raises ``Fallback``, and the page is read again by pdfminer's own
interpreter (``Interpreter``). tests/load/test_pdf_golden.py holds the result to pdfminer's for
the corpus and for PDFs built to exercise the syntax.

Both interpreters count a page's operations as pdfminer runs them (each operand, each saved
state, each string, glyph, path and image) and stop past the limits."""

from __future__ import annotations

import re
from binascii import unhexlify
from io import BytesIO
from operator import itemgetter
from typing import Any

from pdfminer.cmapdb import CMapBase, CMapParser
from pdfminer.layout import LTContainer, LTPage
from pdfminer.pdffont import PDFCIDFont, PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFTextState
from pdfminer.pdftypes import PDFStream, resolve1, stream_value
from pdfminer.psparser import KWD, LIT, PSEOF, PSSyntaxError, choplist, keyword_name, literal_name
from pdfminer.utils import MATRIX_IDENTITY, mult_matrix
from pdfplumber.page import PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import obj_to_bbox, resolve_all, resolve_and_decode

from compliance.i18n import _
from compliance.load.pdf import _Budget, _Stop


class Fallback(Exception):
    """The fast interpreter met what only pdfminer's reads exactly: read the page with that."""


class Reading:
    """What the pages of one PDF share: what a font's glyphs need (``style``), the names of the
    colour spaces."""

    def __init__(self) -> None:
        self.fonts: dict[PDFFont, tuple] = {}
        self.colorspaces: dict[Any, Any] = {}

    def style(self, font: PDFFont) -> tuple:
        """A font's glyphs so far (cid → text, width), its name as pdfplumber gives it, whether
        it is vertical, whether multibyte, its descent per unit of size, its decoder."""
        name = resolve_all(font.fontname)
        if isinstance(name, bytes):
            name = fix_fontname_bytes(name)
        glyphs: dict[int, tuple[str, float]] = {}
        style = (glyphs, name, font.is_vertical(), font.is_multibyte(), font.get_descent(), font.decode)
        self.fonts[font] = style
        return style


class Device(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, counting the operations of a page (shared by the interpreters of its
    form XObjects) and stopping past the limits."""

    most, operations, page = 0, 0, 0
    budget: _Budget  # these are set with the device (lay_out), before a page is read
    reading: Reading
    # the page's height, the top and left of its media box, its top in the document, its number
    geometry: tuple[float, float, float, float, int]

    def count(self) -> None:
        self.operations += 1
        if self.operations > self.most:
            raise _Stop(
                _("PDF 第 {page} 页的操作超过 {most:,} 个").format(page=self.page, most=self.most),
                "max-pdf-page-operations",
            )
        self.budget.operations -= 1
        if self.budget.operations < 0:
            most = self.budget.limits.max_pdf_operations
            raise _Stop(
                _("PDF 的操作超过 {most:,} 个（至第 {page} 页）").format(most=most, page=self.page),
                "max-pdf-operations",
            )

    def render_char(self, *args, **kwargs):
        self.count()
        return super().render_char(*args, **kwargs)

    def tag_cur_item(self) -> None:
        """pdfplumber's: the marked content's id and tag on the layout's last object, which may
        be a glyph's dict (what ``process_object`` would make of them)."""
        if self.cur_item._objs:
            obj: Any = self.cur_item._objs[-1]
            if type(obj) is dict:
                obj["mcid"], obj["tag"] = resolve_all(self.cur_mcid), resolve_all(self.cur_tag)
            else:
                obj.mcid = self.cur_mcid
                obj.tag = self.cur_tag

    def render_string(self, *args, **kwargs):
        self.count()
        return super().render_string(*args, **kwargs)

    def paint_path(self, *args, **kwargs):
        self.count()
        return super().paint_path(*args, **kwargs)

    def render_image(self, *args, **kwargs):
        self.count()
        return super().render_image(*args, **kwargs)


class Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, counting."""

    device: Device  # what lay_out gives it

    def push(self, obj) -> None:  # every operand of the content stream
        self.device.count()
        super().push(obj)

    def do_q(self) -> None:  # a saved state is kept until restored
        self.device.count()
        super().do_q()


# One token of a content stream, after white space (and NUL bytes, which pdfminer skips between
# tokens). Numbers, keywords and the plain forms of names, strings and hex strings are read here;
# anything else is one byte that ``_run`` reads on with pdfminer's rules.
_TOKEN = re.compile(
    rb"[\s\x00]*(?:"
    rb"([-+]?[0-9]+)(?![.0-9])"  # 1 an integer
    rb"|([-+]?[0-9]*\.[0-9]*)"  # 2 a real (pdfminer drops one without digits)
    rb"|([A-Za-z][^#/%\[\]()<>{}\s]*)"  # 3 a keyword: an operator, true, false
    rb"|/([^#/%\[\]()<>{}\s]*+)(?![#])"  # 4 a name without # escapes
    rb"|\(([^()\\]*)\)"  # 5 a string without escapes or parentheses
    rb"|<([0-9A-Fa-f]*)>(?!>)"  # 6 a hex string without spaces
    rb"|([^\s\x00])"  # 7 any other byte
    rb")"
)
# The same tokens as tuples of groups, for ``findall``: the common kinds only; any other byte
# (group 7) that needs more than one byte's reading sends the stream to ``_run``'s loop.
_TUPLES = re.compile(
    rb"[\s\x00]*+(?:"
    rb"([0-9]++(?:\.[0-9]*+)?|[-+][0-9]*+(?:\.[0-9]*+)?|\.[0-9]*+)"  # 1 a number (pdfminer drops "-", ".")
    rb"|([A-Za-z][^#/%\[\]()<>{}\s]*+)"  # 2 a keyword
    rb"|(<[0-9A-Fa-f]*+>)(?!>)"  # 3 a hex string and its brackets
    rb"|(/[^#/%\[\]()<>{}\s]*+)(?![#])"  # 4 a name and its slash
    rb"|(\([^()\\]*+\))"  # 5 a string and its parentheses
    rb"|(<<|>>|[\[\]])"  # 6 an array's or a dictionary's bracket
    rb"|%[^\r\n]*+"  # a comment: no group
    rb"|([^\s\x00])"  # 7 any other byte
    rb")"
)
_LONG_BYTES = frozenset((b"(", b"<", b">", b"/", b"{", b"}"))  # group 7 bytes that begin a longer token
_SMALL_STREAM = 256 * 1024  # a stream's tokens are listed at once up to this size
_SPACES = frozenset(b" \t\n\r\f\v\x00")
_END_LITERAL = re.compile(rb"[#/%\[\]()<>{}\s]")
_HEX_RUN = re.compile(rb"[\s0-9a-fA-F]*")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_SPACE = re.compile(rb"\s")
_EOL = re.compile(rb"[\r\n]")
_STRING_END = re.compile(rb"[()\\]")
_ESCAPES = {ord(k): v for k, v in {"b": 8, "t": 9, "n": 10, "f": 12, "r": 13, "(": 40, ")": 41, "\\": 92}.items()}
_OCTAL = b"01234567"
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 4096  # pdfminer reads a stream in chunks of this size, and one of its rules sees their ends


def _hex(run: bytes) -> bytes:
    """pdfminer's bytes of a hex string (an odd last digit is kept as a byte of its value)."""
    return _HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), _SPACE.sub(b"", run))


def _string(data: bytes, i: int) -> tuple[bytes | None, int]:
    """A string from after its "(", as pdfminer's ``_parse_string`` reads it: its bytes and where
    it ends, or None if the data ends first."""
    out = bytearray()
    depth, end = 1, len(data)
    while True:
        m = _STRING_END.search(data, i)
        if not m:
            return None, end
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x5C:  # \
            i = j + 1
            if i >= end:
                return None, end
            c = data[i]
            if c in _OCTAL:
                digits = 1
                while digits < 3 and i + digits < end and data[i + digits] in _OCTAL:
                    digits += 1
                if i + digits >= end:
                    return None, end  # pdfminer ends the escape at the next byte: there is none
                code = int(data[i : i + digits], 8)
                if code > 255:
                    raise Fallback  # pdfminer asserts
                out.append(code)
                i += digits
            elif c in _ESCAPES:
                out.append(_ESCAPES[c])
                i += 1
            elif c == 0x0D and i + 1 < end and data[i + 1] == 0x0A and (i + 1) % _CHUNK:
                i += 2  # \ CR LF continues the line (unless the CR ends one of pdfminer's chunks)
            else:
                i += 1  # \ and any other byte: pdfminer drops both
        elif c == 0x28:  # (
            depth += 1
            out.append(c)
            i = j + 1
        else:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
            i = j + 1


def _literal(data: bytes, i: int) -> tuple[Any, int]:
    """A name with # escapes from after its "/", as pdfminer's ``_parse_literal`` reads it."""
    token, end = b"", len(data)
    while True:
        m = _END_LITERAL.search(data, i)
        if not m:
            raise Fallback  # at the end of a stream pdfminer may lose the name or join the next
        j = m.start()
        token += data[i:j]
        if data[j] != 0x23:  # #
            i = j
            break
        i, digits = j + 1, b""
        while i < end and len(digits) < 2 and data[i] in _HEX_DIGITS:
            digits += data[i : i + 1]
            i += 1
        if i >= end:
            raise Fallback
        if digits:
            token += bytes((int(digits, 16),))
    try:
        return LIT(str(token, "utf-8")), i
    except UnicodeDecodeError:
        return LIT(token), i


def _tokens(data: bytes) -> list[tuple[int, Any]]:
    """pdfminer's ``PSBaseParser`` tokens of the whole of ``data``, with their positions."""
    found: list[tuple[int, Any]] = []
    add = found.append
    match, end, pos = _TOKEN.match, len(data), 0
    while True:
        m = match(data, pos)
        if m is None:
            return found
        pos, kind = m.end(), m.lastindex or 0
        start = m.start(kind)
        if kind == 3:
            name = m.group(3)
            add((start, name == b"true" if name == b"true" or name == b"false" else KWD(name)))
        elif kind == 1:
            add((start, int(m.group(1))))
        elif kind == 2:
            try:
                add((start, float(m.group(2))))
            except ValueError:
                pass
        elif kind == 6:
            digits = m.group(6)
            add((start - 1, _hex(digits) if len(digits) % 2 else unhexlify(digits)))
        elif kind == 5:
            add((start - 1, m.group(5)))
        elif kind == 4:
            name = m.group(4)
            try:
                add((start - 1, LIT(str(name, "utf-8"))))
            except UnicodeDecodeError:
                add((start - 1, LIT(name)))
        else:
            c = data[start]
            if c == 0x28:  # (
                string, pos = _string(data, pos)
                if string is None:
                    return found  # pdfminer drops a string the data leaves open
                add((start, string))
            elif c == 0x3C:  # <
                if pos < end and data[pos] == 0x3C:
                    pos += 1
                    add((start, KWD(b"<<")))
                    continue
                run = _HEX_RUN.match(data, pos).end()  # type: ignore[union-attr]
                if run >= end:
                    return found  # and a hex string
                add((start, _hex(data[pos:run])))
                pos = run
            elif c == 0x3E:  # >
                if pos < end and data[pos] == 0x3E:
                    pos += 1
                    add((start, KWD(b">>")))
            elif c == 0x2F:  # / and a name with # escapes
                value, pos = _literal(data, pos)
                add((start, value))
            elif c == 0x25:  # %
                found_eol = _EOL.search(data, pos)
                pos = found_eol.start() if found_eol else end
            elif c != 0x2B and c != 0x2D:  # a sign without digits is dropped; any other byte a keyword
                add((start, KWD(bytes((c,)))))


class FastCMapParser(CMapParser):
    """pdfminer's parser of a font's ToUnicode map, its tokens read by ``_TOKEN`` (all at once:
    a map is small; a large one, or one the fast reading is not sure of, is read pdfminer's way)."""

    def __init__(self, cmap: CMapBase, fp) -> None:
        super().__init__(cmap, fp)
        self._read: list[tuple[int, Any]] | None = None
        self._next = 0
        if isinstance(fp, BytesIO) and fp.tell() == 0 and len(fp.getbuffer()) <= _LARGE_MAP:
            try:
                self._read = _tokens(fp.getvalue())
            except Fallback:
                pass

    def nexttoken(self) -> tuple[int, Any]:
        if self._read is None:
            return super().nexttoken()
        if self._next >= len(self._read):
            raise PSEOF("Unexpected EOF")
        self._next += 1
        return self._read[self._next - 1]


_LARGE_MAP = 1 << 20


class CIDFont(PDFCIDFont):
    """pdfminer's CID font, without inflating its embedded TrueType program when it has a
    ToUnicode map: pdfminer reads the program only for a text mapping where there is none (the
    programs of a report's fonts unpack to megabytes: most of the inflating of loading it)."""

    def __init__(self, rsrcmgr, spec, *args, **kwargs) -> None:
        if isinstance(spec.get("ToUnicode"), PDFStream):
            descriptor = resolve1(spec.get("FontDescriptor"))
            if isinstance(descriptor, dict) and "FontFile2" in descriptor:
                descriptor = {key: value for key, value in descriptor.items() if key != "FontFile2"}
                spec = {**spec, "FontDescriptor": descriptor}
        super().__init__(rsrcmgr, spec, *args, **kwargs)


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber.table's, with each point's edges made a set once: its inner function made the
    sets, and evaluated its own type annotations, at each of its thousands of calls."""
    vertical = {point: set(map(obj_to_bbox, edges["v"])) for point, edges in intersections.items()}
    horizontal = {point: set(map(obj_to_bbox, edges["h"])) for point, edges in intersections.items()}

    def edge_connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]):
            return True
        return p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])

    points = sorted(intersections.keys())
    n_points = len(points)

    def find_smallest_cell(points, i: int):
        if i == n_points - 1:
            return None
        pt = points[i]
        rest = points[i + 1 :]
        # Get all the points directly below and directly right
        below = [x for x in rest if x[0] == pt[0]]
        right = [x for x in rest if x[1] == pt[1]]
        for below_pt in below:
            if not edge_connects(pt, below_pt):
                continue
            for right_pt in right:
                if not edge_connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if (
                    (bottom_right in intersections)
                    and edge_connects(bottom_right, right_pt)
                    and edge_connects(bottom_right, below_pt)
                ):
                    return (pt[0], pt[1], bottom_right[0], bottom_right[1])
        return None

    cell_gen = (find_smallest_cell(points, i) for i in range(len(points)))
    return list(filter(None, cell_gen))


# How an operator runs: pdfminer's method and how many operands it takes, and the fast way if any.
_SHOW, _SHOW_ARRAY = "show", "show array"
_Operator = tuple[str, int, Any, bool]
_OPERATORS: dict[bytes, _Operator | None] = {}


class FastInterpreter(Interpreter):
    """pdfminer's interpreter with the tokens read by ``_TOKEN`` and the frequent operators run
    by this module's functions (``_operate``); the objects are pdfminer's and pdfplumber's (see
    the module's docstring)."""

    def execute(self, streams) -> None:
        valid = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                raise Fallback  # pdfminer warns and skips these: rare
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        context: list[list] = []  # the open arrays and dictionaries: ["[" or "<<", items…]
        for index, stream in enumerate(valid):
            data, last = stream.get_data(), index == len(valid) - 1
            if len(data) <= _SMALL_STREAM and (last or not data or data[-1] in _SPACES):
                tokens = _TUPLES.findall(data)
                if _LONG_BYTES.isdisjoint(map(itemgetter(6), tokens)):
                    self._run_tokens(tokens, context)
                    continue
            self._run(data, last, context)

    def _run_tokens(self, tokens: list[tuple[bytes, ...]], context: list[list]) -> None:
        """``_run`` for a stream whose tokens are all of the common kinds, listed at once (no token
        ends the data unless the stream is the page's last)."""
        device, budget = self.device, self.device.budget
        most = device.most
        value: Any
        for number, name, digits, literal, string, bracket, other in tokens:
            if number:
                try:
                    value = float(number) if b"." in number else int(number)
                except ValueError:
                    continue
            elif name:
                if name == b"true" or name == b"false":
                    value = name == b"true"
                elif name == b"BI" or name == b"ID":
                    raise Fallback
                elif context:
                    context[-1].append(KWD(name))
                    continue
                else:
                    self._operate(name)
                    continue
            elif digits:
                run = digits[1:-1]
                value = _hex(run) if len(run) % 2 else unhexlify(run)
            elif string:
                value = string[1:-1]
            elif literal:
                try:
                    value = LIT(str(literal[1:], "utf-8"))
                except UnicodeDecodeError:
                    value = LIT(literal[1:])
            elif bracket:
                if bracket == b"[":
                    context.append(["["])
                    continue
                if bracket == b"<<":
                    context.append(["<<"])
                    continue
                if not context:
                    continue  # a stray ] or >> is ignored
                if bracket == b"]":
                    if context[-1][0] != "[":
                        raise Fallback
                    value = context.pop()[1:]
                else:
                    if context[-1][0] != "<<":
                        raise Fallback
                    items = context.pop()[1:]
                    if len(items) % 2:
                        raise PSSyntaxError(f"Invalid dictionary construct: {items!r}")
                    value = {literal_name(k): v for (k, v) in choplist(2, items) if v is not None}
            elif other:
                if other == b"+" or other == b"-":
                    continue
                if context:
                    context[-1].append(KWD(other))
                else:
                    self._operate(other)
                continue
            else:
                continue  # a comment
            if context:
                context[-1].append(value)
                continue
            if device.operations >= most or budget.operations <= 0:
                device.count()  # the operand is one too many: raises
            device.operations += 1
            budget.operations -= 1
            self.argstack.append(value)

    def _run(self, data: bytes, last: bool, context: list[list]) -> None:
        """The tokens of one content stream, as pdfminer's ``PDFContentParser`` gives them to its
        interpreter: operands pushed (and counted), arrays and dictionaries built, operators run.
        ``last``: the page's last stream (pdfminer joins a token cut at the end of the others to
        the next stream; at the end of the last it drops an open string)."""
        device, budget = self.device, self.device.budget
        most = device.most
        match = _TOKEN.match
        end = len(data)
        pos = 0
        value: Any
        while True:
            m = match(data, pos)
            if m is None:
                return
            pos = m.end()
            kind = m.lastindex
            if kind == 3:
                name = m.group(3)
                if name == b"true" or name == b"false":
                    value = name == b"true"
                elif name == b"BI" or name == b"ID":
                    raise Fallback  # inline images: pdfminer reads their data its own way
                elif context:
                    context[-1].append(KWD(name))
                    continue
                else:
                    self._operate(name)
                    continue
            elif kind == 1:
                value = int(m.group(1))
            elif kind == 2:
                try:
                    value = float(m.group(2))
                except ValueError:
                    continue
            elif kind == 6:
                if pos == end and not last:
                    raise Fallback  # "<…>" then ">" at the start of the next: pdfminer's ">>"
                digits = m.group(6)
                value = _hex(digits) if len(digits) % 2 else unhexlify(digits)
            elif kind == 5:
                value = m.group(5)
            elif kind == 4:
                name = m.group(4)
                if not name and pos == end and not last:
                    raise Fallback  # a "/" that pdfminer joins to the next stream's name
                try:
                    value = LIT(str(name, "utf-8"))
                except UnicodeDecodeError:
                    value = LIT(name)
            else:
                c = data[pos - 1]
                if c == 0x28:  # (
                    string, pos = _string(data, pos)
                    if string is None:
                        if not last:
                            raise Fallback
                        return  # pdfminer drops a string the last stream leaves open
                    value = string
                elif c == 0x3C:  # <
                    if pos < end and data[pos] == 0x3C:
                        pos += 1
                        context.append(["<<"])
                        continue
                    run = _HEX_RUN.match(data, pos).end()  # type: ignore[union-attr]
                    if run >= end:
                        if not last:
                            raise Fallback
                        return  # and a hex string
                    value, pos = _hex(data[pos:run]), run
                elif c == 0x3E:  # >
                    if pos < end and data[pos] == 0x3E:
                        pos += 1
                        if not context:
                            continue  # a stray >> is ignored
                        if context[-1][0] != "<<":
                            raise Fallback  # it closes an array: pdfminer's error path
                        items = context.pop()[1:]
                        if len(items) % 2:
                            raise PSSyntaxError(f"Invalid dictionary construct: {items!r}")
                        value = {literal_name(k): v for (k, v) in choplist(2, items) if v is not None}
                    elif pos == end and not last:
                        raise Fallback
                    else:
                        continue  # a lone > is nothing
                elif c == 0x2F:  # / and a name with # escapes
                    value, pos = _literal(data, pos)
                elif c == 0x25:  # % a comment, to the end of the line
                    found = _EOL.search(data, pos)
                    pos = found.start() if found else end
                    continue
                elif c == 0x5B:  # [
                    context.append(["["])
                    continue
                elif c == 0x5D:  # ]
                    if not context:
                        continue  # a stray ] is ignored
                    if context[-1][0] != "[":
                        raise Fallback
                    value = context.pop()[1:]
                elif c == 0x7B or c == 0x7D:  # { }
                    raise Fallback  # procedures: not in page content
                elif c == 0x2B or c == 0x2D:  # + or - without digits: pdfminer drops it
                    continue
                elif context:  # any other byte is a keyword of one byte
                    context[-1].append(KWD(bytes((c,))))
                    continue
                else:
                    self._operate(bytes((c,)))
                    continue
            if context:
                context[-1].append(value)
                continue
            if device.operations >= most or budget.operations <= 0:
                device.count()  # the operand is one too many: raises
            device.operations += 1
            budget.operations -= 1
            self.argstack.append(value)

    def _operate(self, name: bytes) -> None:
        """An operator, as pdfminer's ``execute`` runs it: its operands popped off the stack
        (all that are there, and nothing run, if there are fewer than it takes)."""
        try:
            operator = _OPERATORS[name]
        except KeyError:
            operator = _OPERATORS[name] = _operator(name)
        if operator is None:
            return
        method, count, fast, converts = operator
        stack = self.argstack
        if count:
            args = stack[-count:]
            del stack[-count:]
            if len(args) < count:
                return
        else:
            args = []
        if fast is _SHOW:
            self._show(args)
        elif fast is _SHOW_ARRAY:
            self._show(args[0])
        elif fast is None:
            getattr(self, method)(*args)
        elif not converts:
            fast(self, *args)
        else:
            try:
                fast(self, *args)
            except (TypeError, ValueError, OverflowError):
                getattr(self, method)(*args)  # operands that are not numbers: pdfminer's method warns

    # -- the frequent operators, as pdfminer's methods run them. Those that read numbers (_CONVERTING)
    # convert their operands first and change nothing if one fails: pdfminer's method takes over ----

    def _q(self) -> None:
        self.device.count()
        text = PDFTextState.__new__(PDFTextState)
        text.__dict__.update(self.textstate.__dict__)
        graphic = PDFGraphicState.__new__(PDFGraphicState)
        graphic.__dict__.update(self.graphicstate.__dict__)
        self.gstack.append((self.ctm, text, graphic))

    def _Q(self) -> None:
        if self.gstack:
            self.set_current_state(self.gstack.pop())

    def _cm(self, a, b, c, d, e, f) -> None:
        self.ctm = mult_matrix((float(a), float(b), float(c), float(d), float(e), float(f)), self.ctm)
        self.device.set_ctm(self.ctm)

    def _w(self, width) -> None:
        width = float(width)
        self.graphicstate.linewidth = width * (self.ctm[0] ** 2 + self.ctm[1] ** 2) ** 0.5

    def _nothing(self, *args) -> None:
        pass

    def _rg(self, r, g, b) -> None:
        self.graphicstate.ncolor = (float(r), float(g), float(b))
        self.graphicstate.ncs = self.csmap["DeviceRGB"]

    def _RG(self, r, g, b) -> None:
        self.graphicstate.scolor = (float(r), float(g), float(b))
        self.graphicstate.scs = self.csmap["DeviceRGB"]

    def _g(self, gray) -> None:
        self.graphicstate.ncolor = float(gray)
        self.graphicstate.ncs = self.csmap["DeviceGray"]

    def _G(self, gray) -> None:
        self.graphicstate.scolor = float(gray)
        self.graphicstate.scs = self.csmap["DeviceGray"]

    def _BT(self) -> None:
        self.textstate.matrix = MATRIX_IDENTITY
        self.textstate.linematrix = (0, 0)

    def _Tm(self, a, b, c, d, e, f) -> None:
        self.textstate.matrix = (float(a), float(b), float(c), float(d), float(e), float(f))
        self.textstate.linematrix = (0, 0)

    def _Td(self, tx, ty) -> None:
        tx, ty = float(tx), float(ty)
        (a, b, c, d, e, f) = self.textstate.matrix
        self.textstate.matrix = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
        self.textstate.linematrix = (0, 0)

    def _TD(self, tx, ty) -> None:
        tx, ty = float(tx), float(ty)
        (a, b, c, d, e, f) = self.textstate.matrix
        self.textstate.matrix = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
        self.textstate.leading = ty
        self.textstate.linematrix = (0, 0)

    def _re(self, x, y, w, h) -> None:
        x, y, w, h = float(x), float(y), float(w), float(h)
        self.curpath.append(("m", x, y))
        self.curpath.append(("l", x + w, y))
        self.curpath.append(("l", x + w, y + h))
        self.curpath.append(("l", x, y + h))
        self.curpath.append(("h",))

    def _m(self, x, y) -> None:
        self.curpath.append(("m", float(x), float(y)))

    def _l(self, x, y) -> None:
        self.curpath.append(("l", float(x), float(y)))

    def _n(self) -> None:
        self.curpath = []

    def _J(self, linecap) -> None:
        self.graphicstate.linecap = linecap

    def _j(self, linejoin) -> None:
        self.graphicstate.linejoin = linejoin

    def _M(self, miterlimit) -> None:
        self.graphicstate.miterlimit = miterlimit

    def _Tf(self, fontid, fontsize) -> None:
        fontsize = float(fontsize)
        try:
            font = self.fontmap[literal_name(fontid)]
        except KeyError:
            raise ValueError from None  # pdfminer's method takes a default font
        self.textstate.font = font
        self.textstate.fontsize = fontsize

    def _paint(self, stroke: bool, fill: bool, evenodd: bool) -> None:
        self.device.paint_path(self.graphicstate, stroke, fill, evenodd, self.curpath)
        self.curpath = []

    def _S(self) -> None:
        self._paint(True, False, False)

    def _f(self) -> None:
        self._paint(False, True, False)

    def _f_a(self) -> None:
        self._paint(False, True, True)

    def _show(self, seq) -> None:
        """pdfminer's ``do_TJ`` → ``render_string`` → ``render_char`` → ``LTChar``, then
        pdfplumber's ``tag_cur_item`` and ``process_object``, for a horizontal font."""
        textstate, graphic, device = self.textstate, self.graphicstate, self.device
        font = textstate.font
        if font is None:
            return
        reading = device.reading
        try:
            style = reading.fonts[font]
        except KeyError:
            style = reading.style(font)
        glyphs, fontname, vertical, multibyte, descent, decode = style
        if (
            vertical
            or type(seq) is not list
            or not ((len(seq) == 1 and type(seq[0]) is bytes) or all(isinstance(o, (int, float, bytes)) for o in seq))
        ):
            device.render_string(textstate, seq, graphic.ncs, graphic.copy())  # pdfminer's way
            return
        budget, most = device.budget, device.most
        if device.operations >= most or budget.operations <= 0:
            device.count()  # the string is one operation too many: raises
        device.operations += 1
        budget.operations -= 1
        # mult_matrix(textstate.matrix, ctm)
        (a1, b1, c1, d1, e1, f1) = textstate.matrix
        (a0, b0, c0, d0, e0, f0) = self.ctm
        a, b = a0 * a1 + c0 * b1, b0 * a1 + d0 * b1
        c, d = a0 * c1 + c0 * d1, b0 * c1 + d0 * d1
        e, f = a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = 0 if multibyte else textstate.wordspace * scaling
        rise = textstate.rise
        dxscale = 0.001 * fontsize * scaling
        ncs = graphic.ncs.name
        try:
            ncs = reading.colorspaces[ncs]
        except KeyError:
            ncs = reading.colorspaces[ncs] = resolve_and_decode(ncs)
        scolor = graphic.scolor if isinstance(graphic.scolor, tuple) else (graphic.scolor,)
        ncolor = graphic.ncolor if isinstance(graphic.ncolor, tuple) else (graphic.ncolor,)
        descent = descent * fontsize
        bottom = descent + rise
        top = descent + rise + fontsize
        upright = a * d * scaling > 0 and b * c <= 0
        height, mb_top, mb_x0, doctop, number = device.geometry
        mcid, tag = device.cur_mcid, device.cur_tag
        if mcid is not None:
            mcid = resolve_all(mcid)
        items: list = device.cur_item._objs  # the glyphs' dicts stand where LTChar would
        (x, y) = textstate.linematrix
        needcharspace = False
        for obj in seq:
            if type(obj) is not bytes:
                x -= obj * dxscale
                needcharspace = True
                continue
            for cid in decode(obj):
                if needcharspace:
                    x += charspace
                if device.operations >= most or budget.operations <= 0:
                    device.count()  # the glyph is one operation too many: raises
                device.operations += 1
                budget.operations -= 1
                try:
                    text, width = glyphs[cid]
                except KeyError:
                    try:
                        text = font.to_unichr(cid)
                        if not isinstance(text, str):
                            raise AssertionError(str(type(text))) from None  # pdfminer asserts
                    except PDFUnicodeNotDefined:
                        text = f"(cid:{cid})"
                    width = font.char_width(cid)
                    glyphs[cid] = (text, width)
                # translate_matrix(matrix, (x, y)); apply_matrix_rect of (0, bottom, adv, top)
                ex, fy = x * a + y * c + e, x * b + y * d + f
                adv = width * fontsize * scaling
                left1, bottom1 = a * 0 + c * bottom + ex, b * 0 + d * bottom + fy
                right1, bottom2 = a * adv + c * bottom + ex, b * adv + d * bottom + fy
                right2, top1 = a * adv + c * top + ex, b * adv + d * top + fy
                left2, top2 = a * 0 + c * top + ex, b * 0 + d * top + fy
                x0, x1 = min(left1, left2, right1, right2), max(left1, left2, right1, right2)
                y0, y1 = min(bottom1, bottom2, top1, top2), max(bottom1, bottom2, top1, top2)
                char_top = (height - y1) + mb_top
                items.append(
                    {
                        "matrix": (a, b, c, d, ex, fy),
                        "fontname": fontname,
                        "adv": adv,
                        "upright": upright,
                        "x0": x0 + mb_x0 if mb_x0 != 0 else x0,
                        "y0": y0,
                        "x1": x1 + mb_x0 if mb_x0 != 0 else x1,
                        "y1": y1,
                        "width": x1 - x0,
                        "height": y1 - y0,
                        "size": y1 - y0,
                        "mcid": mcid,
                        "tag": tag,
                        "object_type": "char",
                        "page_number": number,
                        "ncs": ncs,
                        "text": text,
                        "stroking_color": scolor,
                        "non_stroking_color": ncolor,
                        "top": char_top,
                        "bottom": (height - y0) + mb_top,
                        "doctop": doctop + char_top,
                    }
                )
                x += adv
                if cid == 32 and wordspace:
                    x += wordspace
                needcharspace = True
        textstate.linematrix = (x, y)


_FAST = {
    "do_q": FastInterpreter._q,
    "do_Q": FastInterpreter._Q,
    "do_cm": FastInterpreter._cm,
    "do_w": FastInterpreter._w,
    "do_gs": FastInterpreter._nothing,
    "do_ET": FastInterpreter._nothing,
    "do_W": FastInterpreter._nothing,
    "do_W_a": FastInterpreter._nothing,
    "do_rg": FastInterpreter._rg,
    "do_RG": FastInterpreter._RG,
    "do_g": FastInterpreter._g,
    "do_G": FastInterpreter._G,
    "do_BT": FastInterpreter._BT,
    "do_Tm": FastInterpreter._Tm,
    "do_Td": FastInterpreter._Td,
    "do_TD": FastInterpreter._TD,
    "do_re": FastInterpreter._re,
    "do_m": FastInterpreter._m,
    "do_l": FastInterpreter._l,
    "do_n": FastInterpreter._n,
    "do_J": FastInterpreter._J,
    "do_j": FastInterpreter._j,
    "do_M": FastInterpreter._M,
    "do_Tf": FastInterpreter._Tf,
    "do_S": FastInterpreter._S,
    "do_f": FastInterpreter._f,
    "do_f_a": FastInterpreter._f_a,
    "do_Tj": _SHOW,
    "do_TJ": _SHOW_ARRAY,
}


# The fast ways that convert their operands first (and change nothing if one is not a number)
_CONVERTING = {
    "do_cm",
    "do_w",
    "do_rg",
    "do_RG",
    "do_g",
    "do_G",
    "do_Tm",
    "do_Td",
    "do_TD",
    "do_re",
    "do_m",
    "do_l",
    "do_Tf",
}


def _operator(name: bytes) -> _Operator | None:
    """pdfminer's method for an operator (None: no such operator, which pdfminer skips)."""
    text = keyword_name(KWD(name))
    method = "do_{}".format(text.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
    function = getattr(FastInterpreter, method, None)
    if function is None:
        return None
    return method, function.__code__.co_argcount - 1, _FAST.get(method), method in _CONVERTING


def lay_out(page, budget: _Budget, reading: Reading, fast: bool = True) -> LTPage:
    """What pdfplumber's ``Page.layout`` computes, counting the operations of the page."""
    device = Device(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.most, device.page, device.budget = budget.limits.max_pdf_page_operations, page.page_number, budget
    device.reading = reading
    device.geometry = (page.height, page.mediabox[1], page.mediabox[0], page.initial_doctop, page.page_number)
    interpreter = (FastInterpreter if fast else Interpreter)(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    return device.get_result()


def objects(page, layout: LTPage) -> dict[str, list]:
    """pdfplumber's ``Page.parse_objects`` of the layout, the glyphs already dicts."""
    found: dict[str, list] = {}

    def walk(items) -> None:
        for obj in items:
            if type(obj) is dict:  # a glyph, read fast
                found.setdefault("char", []).append(obj)
            elif isinstance(obj, LTContainer):
                if page.pdf.laparams is not None:
                    add(page.process_object(obj))
                walk(obj._objs)
            else:
                add(page.process_object(obj))

    def add(obj: dict) -> None:
        if obj["object_type"] != "anno":
            found.setdefault(obj["object_type"], []).append(obj)

    walk(layout._objs)
    return found
