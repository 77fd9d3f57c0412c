"""Fact kinds about the form of the writing (extracted by compliance/facts/style.py and the modules
it calls) and the model of their lexicon, ``rules/lexicon/style.yaml``.

``text`` is the span as the draft writes it; ``replacement`` is the exact original span with the
form fixed (equal to the span when no mechanical fix exists, which the engine turns into no edit)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from compliance.models.facts import Fact


class PunctuationFact(Fact):
    """The marks of the punctuation lexicon on one line (half-width , ; : ? ! ( ) . < >, straight
    and corner quotes) outside tables, headings' ordinals, 发文字号, addresses and residue: those
    whose context calls for another form (a half-width mark in Chinese text, a straight or corner
    quote) counted, from the first to the last. One fact per line: a draft typed with a half-width
    keyboard has them on every line, and one edit per line fixes them all; a line whose marks are
    all as their context wants them (1,234 / 12.5 / English) is one fact with a count of 0."""

    kind: Literal["punctuation"] = "punctuation"
    count: int  # marks whose context calls for another form
    marks: list[tuple[str, int]]  # those marks, each once in the order found, and how many: [(",", 9), ("(", 1)]
    fixed: list[str]  # the forms they call for, each once: ["，", "（"]; a straight quote the pair "“”"
    context: str  # the first mark with a few characters around it, as written
    replacement: str


class OrdinalFact(Fact):
    """A heading ordinal, observed in one ``aspect`` (compliance/facts/ordinals.py):

    - ordinal (every heading, and a line opening "一." the parser reads as prose): ``standard`` is
      the standard form of its level, ``distance`` the characters to change to reach a form the
      lexicon accepts (0: it is one); ``expected_number`` is the number the previous sibling of its
      style calls for (its + 1, or + 2 when the heading is not that and a heading numbered so is
      run into the prose between them; the
      heading's own number when it has no such sibling or is a part), ``difference`` = number -
      expected_number, ``expected`` the standard form of the expected number, ``previous`` that
      sibling heading;
    - level (every top-level heading): ``level`` and ``previous_level``, the level of the top-level
      heading before it (0: none); ``expected`` is the first level's form "一、".

    Span: the ordinal with its brackets and separator. ``replacement``: the standard form when the
    form is off (distance > 0), else the ordinal as written (no mechanical fix)."""

    kind: Literal["heading_ordinal"] = "heading_ordinal"
    aspect: Literal["ordinal", "level"]
    text: str
    style: Literal["cn", "paren_cn", "arabic", "paren_arabic"]
    level: int  # 1 一、, 2 （一）, 3 1., 4 （1）
    heading: str  # the heading's title, for the message
    standard: str
    number: int  # the ordinal's value
    distance: int
    expected: str
    expected_number: int
    difference: int
    previous: str = ""
    previous_level: int = 0  # level
    replacement: str


class DocNumberFact(Fact):
    """A 发文字号 (from the year's opening bracket to 号), its parts as written and its ``form``: the
    brackets, 第 and leading zeros as written, the year as Y and the number as N, spaces left out —
    "〔Y〕N号" as GB/T 9704 writes it; "[Y]N号", "（Y）第N号", "〔Y〕0N号"; "〔YN" or "〔YN号" when the
    closing bracket was lost in extraction ("〔201919"). ``corrected``: the span in the standard
    form (the span itself when it is in it)."""

    kind: Literal["doc_number"] = "doc_number"
    text: str
    open: str  # the bracket before the year
    close: str  # the bracket after it, "" when lost
    year: int
    prefix: str  # "第" before the number, else ""
    zeros: int  # leading zeros of the number ("05号": 1)
    number: int
    suffix: str  # "号", "" when lost with the bracket
    form: str
    corrected: str
    replacement: str


ContactWhat = Literal["url", "email", "phone", "postcode"]
# What is off the form of a contact ("none" when nothing is).
ContactProblem = Literal[
    "none",  # well formed
    "scheme",  # "http//", "http:/", "http：//"
    "host_dot",  # a full-width dot or a comma between the labels of a host name
    "space",  # a space inside a host name
    "at",  # a full-width ＠
    "no_at",  # an e-mail address without @
    "no_domain",  # nothing like a domain after @
    "short",  # too few digits for the area code
    "long",  # too many digits
    "bracket",  # an area-code bracket not closed or not opened
    "empty",  # a field of the contact line with its label and no value ("电话：传真：")
]


class ContactFact(Fact):
    """A web address (its scheme, its host), an e-mail address, a phone number or a field of a
    contact line, and what is off its form ("none" when nothing is). ``corrected`` is the address
    with its form fixed, or "" when only the author can say what it should be (or nothing is off)."""

    kind: Literal["contact"] = "contact"
    what: ContactWhat
    problem: ContactProblem
    text: str
    corrected: str
    replacement: str


class TraditionalTextFact(Fact):
    """Traditional characters, from the script conversion of stage 2 (compliance/normalize/script.py):
    ``scope`` document when the draft was read as Traditional and converted whole (``count``: the
    runs conversion changed, the first of them the span, ``sample`` and ``converted``), run for
    one run of Traditional characters in a Simplified draft (``count`` 1). A Simplified draft with
    none is one document fact with a count of 0 and an empty span. ``share``: the document's CJK
    characters that character conversion changes, per thousand."""

    kind: Literal["traditional_text"] = "traditional_text"
    scope: Literal["document", "run"]
    count: int
    share: int
    sample: str
    converted: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PunctuationWords(_Strict):
    full_width: dict[str, str]
    nested_title: dict[str, str]
    straight_quotes: dict[str, str]
    corner_quotes: dict[str, str]


class OrdinalLevel(_Strict):
    standard: str
    also: list[str] = []


class OrdinalWords(_Strict):
    levels: dict[Literal["cn", "paren_cn", "arabic", "paren_arabic"], OrdinalLevel]
    cn_wrong_separators: list[str]


class DocNumberWords(_Strict):
    open: str
    close: str
    wrong_open: list[str]
    wrong_close: list[str]
    number_prefix: str
    number_suffix: str


class ContactWords(_Strict):
    top_level_domains: list[str]
    wrong_host_dots: list[str]
    email_labels: list[str]
    phone_labels: list[str]
    postcode_labels: list[str]
    address_labels: list[str]
    eight_digit_area_codes: list[str]
    service_prefixes: list[str]
    toll_free_prefixes: list[str]


class StyleLexicon(_Strict):
    """``rules/lexicon/style.yaml``."""

    punctuation: PunctuationWords
    ordinals: OrdinalWords
    document_numbers: DocNumberWords
    contact: ContactWords
