"""Stage 4: web addresses, e-mail addresses and phone numbers → a contact fact for each one read,
its problem "none" when it is well formed (STYLE-CONTACT judges the others, one case per problem).

Fixed (safely) only where one reading exists: "http//" and "http：//" → "http://"; a full-width dot
or a comma between the labels of a host name that ends in a known domain → "."; a space beside a
dot of a host name, after "://" or around @; a full-width ＠. An e-mail address without @ or
without a domain, a phone number with too few or too many digits for its area code, an unpaired
area-code bracket: reported for the author to check. A line break inside an address is a PDF's
wrapping, never a finding; a host name is only read after "://" or "@" or from "www", and a number
after a phone label only when no Chinese follows it ("热线电话2000余个" is a count)."""

from __future__ import annotations

import re
from typing import Literal

from compliance.models.facts import Fact
from compliance.models.facts_style import ContactFact, ContactProblem, ContactWhat, ContactWords
from compliance.models.text import NormalizedText

_S = r"[ \t\u3000]"  # a space, never a line break
_LABEL = "[A-Za-z0-9-]+"
_LOCAL_PART = re.compile(r"(?P<name>[A-Za-z0-9._%+-]+)[ \t\u3000]*$")  # before @, searched back from it
_MAX_LOCAL = 64
_LETTER = re.compile("[A-Za-z]")
_NOT_BEFORE_HOST = re.compile("[A-Za-z0-9._%+@＠/-]")  # inside a longer name or a path
_NOT_BEFORE_PHONE = re.compile("[0-9A-Za-z./－-]")  # inside a date, an index number or an address


def _alternatives(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


class Contacts:
    def __init__(self, words: ContactWords):
        self.words = words
        self.domains = {d.lower() for d in words.top_level_domains}
        wrong = "".join(map(re.escape, words.wrong_host_dots))
        self.wrong_dot = re.compile(f"[{wrong}]")
        self.separator = re.compile(rf"({_S}*\.{_S}*|[{wrong}])")
        host = rf"{_LABEL}(?:(?:{_S}*\.{_S}*|[{wrong}]){_LABEL})*"
        # Each pattern opens with a literal or a small class so the scan skips ahead fast; what
        # may not come before a match is checked in code (``_after``) rather than by a lookbehind,
        # which would be tried at every position of the document.
        self.scheme = re.compile(
            rf"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)(?P<sep>[:：;；]?{_S}*[/／\\]{{1,3}}|[:：;；])(?P<gap>{_S}*)(?=[A-Za-z0-9])"
        )
        self.hosts = (
            re.compile(rf"://(?P<host>{host})"),
            re.compile(rf"(?P<host>[Ww][Ww][Ww][A-Za-z0-9-]*{host[len(_LABEL) :]})"),
        )
        self.email = re.compile(rf"(?P<at>[@＠]{_S}*)(?P<domain>{host})")
        self.no_at = re.compile(rf"(?:{_alternatives(words.email_labels)}){_S}*[:：]?\s*(?P<addr>[A-Za-z0-9._%+@＠-]+)")
        self.area_phone = re.compile(
            rf"(?P<area>0[1-9][0-9]{{1,2}})(?P<close>{_S}*[)）])?{_S}*(?P<dash>[-－—]{_S}*)?(?P<local>[0-9]{{3,12}})(?![0-9])"
        )
        fields = words.phone_labels + words.email_labels + words.postcode_labels
        every = _alternatives(fields + words.address_labels)
        self.empty_field = re.compile(
            rf"(?P<label>{_alternatives(fields)}){_S}*[:：](?={_S}*(?:(?:{every}){_S}*[:：]|[)）;；，,。]|$))", re.M
        )
        self.field_kind: dict[str, ContactWhat] = {
            **dict.fromkeys(words.phone_labels, "phone"),
            **dict.fromkeys(words.email_labels, "email"),
            **dict.fromkeys(words.postcode_labels, "postcode"),
        }
        self.labelled_phone = re.compile(
            rf"(?:{_alternatives(words.phone_labels)}){_S}*[:：]?{_S}*(?P<number>[1-9][0-9]{{2,14}})(?![0-9\-－—\u4e00-\u9fff])"
        )

    def extract(self, text: NormalizedText) -> tuple[list[Fact], list[tuple[int, int]]]:
        """A fact for every address and number read, and the span of every address found (other
        style rules leave the marks inside alone)."""
        found = _Found(text)
        self._urls(text.text, found)
        self._emails(text.text, found)
        self._phones(text.text, found)
        for m in self.empty_field.finditer(text.text):  # "邮编:电话:传真:": a form never filled in
            found.add(self.field_kind[m["label"]], "empty", m.start(), m.end(), "")
        return found.facts, found.spans

    def _host(self, host: str) -> tuple[int, Literal["host_dot", "space", ""], str] | None:
        """(length of the host name proper, problem or "", the host fixed) for a dotted run, cut
        after its last known domain; None when it ends in none."""
        parts = self.separator.split(host)
        labels, separators = parts[0::2], parts[1::2]
        ends = [i for i, label in enumerate(labels) if label.lower() in self.domains and i > 0]
        if not ends:
            return None
        last = ends[-1]
        for i, label in enumerate(labels[1 : last + 1], 1):  # "www.a.gov.cn,www.b.gov.cn": two hosts
            if self.wrong_dot.fullmatch(separators[i - 1]) and label.lower().startswith(("www", "http")):
                return self._host("".join(parts[: 2 * i - 1]))
        kept = separators[:last]
        length = sum(map(len, labels[: last + 1])) + sum(map(len, kept))
        problem: Literal["host_dot", "space", ""] = (
            "host_dot"
            if any(self.wrong_dot.fullmatch(s) for s in kept)
            else "space"
            if any(s != "." for s in kept)
            else ""
        )
        return length, problem, ".".join(labels[: last + 1])

    def _urls(self, text: str, found: _Found) -> None:
        for m in self.scheme.finditer(text):
            if _after(text, m.start(), _LETTER):
                continue
            found.spans.append(m.span())
            problem: ContactProblem = "scheme" if m["sep"] != "://" else "space" if m["gap"] else "none"
            found.add("url", problem, m.start(), m.end(), m["scheme"] + "://")
        starts = set()
        for m in (m for pattern in self.hosts for m in pattern.finditer(text)):
            start = m.start("host")
            host = self._host(m["host"])
            if (
                not host
                or start in starts
                or (text[start - 3 : start] != "://" and _after(text, start, _NOT_BEFORE_HOST))
            ):
                continue
            starts.add(start)
            length, host_problem, fixed = host
            found.spans.append((start, start + length))
            found.add("url", host_problem or "none", start, start + length, fixed)

    def _emails(self, text: str, found: _Found) -> None:
        for m in self.email.finditer(text):
            local = _LOCAL_PART.search(text, max(m.start() - _MAX_LOCAL, 0), m.start())
            if not local:
                continue
            start, host = local.start(), self._host(m["domain"])
            if "." not in m["domain"] and not self.wrong_dot.search(m["domain"]):
                found.spans.append((start, m.end()))
                found.add("email", "no_domain", start, m.end(), "")
            elif host:
                length, host_problem, fixed = host
                end = m.start("domain") + length
                found.spans.append((start, end))
                spaced = m["at"] != m["at"].strip() or local.group() != local["name"]
                problem: ContactProblem = "at" if "＠" in m["at"] else host_problem or ("space" if spaced else "none")
                found.add("email", problem, start, end, local["name"] + "@" + fixed)
        for m in self.no_at.finditer(text):
            address = m["addr"].rstrip(".")
            if "@" not in address and "＠" not in address and "." in address:
                found.add("email", "no_at", m.start("addr"), m.start("addr") + len(address), "")

    def _phones(self, text: str, found: _Found) -> None:
        problem: ContactProblem
        eight = set(self.words.eight_digit_area_codes)
        for m in self.area_phone.finditer(text):
            start = m.start()
            while start > 0 and text[start - 1] in " \t\u3000":
                start -= 1
            opened = start > 0 and text[start - 1] in "（("  # an opening bracket before the area code
            if not (m["close"] or m["dash"]) or (not opened and _after(text, m.start(), _NOT_BEFORE_PHONE)):
                continue  # a run of digits, or a part of a date, an index number or an address
            closed_after = text[m.end() : m.end() + 1] in ("）", ")")
            if opened != bool(m["close"]) and not (opened and closed_after):
                problem = "bracket"
            elif self._service(m["local"]):
                problem = "none"
            elif len(m["local"]) < (8 if m["area"] in eight else 7):
                problem = "short"
            elif len(m["local"]) > 8:
                problem = "long"
            else:
                problem = "none"
            found.add("phone", problem, start - 1 if opened else m.start(), m.end(), "")
        for m in self.labelled_phone.finditer(text):
            number = m["number"]
            mobile = number[0] == "1" and len(number) >= 10
            if self._service(number) or (number.startswith(tuple(self.words.toll_free_prefixes)) and len(number) == 10):
                problem = "none"
            elif len(number) == 11 if mobile else 7 <= len(number) <= 8:
                problem = "none"
            else:
                problem = "long" if len(number) > (11 if mobile else 8) else "short"
            found.add("phone", problem, *m.span("number"), "")

    def _service(self, number: str) -> bool:
        """12345, 12315, 110, 96196: short numbers are service lines, valid with or without area code."""
        return 3 <= len(number) <= 6 and number[0] in self.words.service_prefixes


def _after(text: str, start: int, chars: re.Pattern) -> bool:
    """Whether the character before ``start`` is one of ``chars``."""
    return start > 0 and chars.match(text, start - 1) is not None


class _Found:
    def __init__(self, text: NormalizedText):
        self.text = text
        self.facts: list[Fact] = []
        self.spans: list[tuple[int, int]] = []

    def add(self, what: ContactWhat, problem: ContactProblem, start: int, end: int, corrected: str) -> None:
        o_start, o_end = self.text.to_original(start, end)
        written = self.text.original[o_start:o_end]
        corrected = corrected if problem != "none" else ""
        self.facts.append(
            ContactFact(
                what=what,
                problem=problem,
                text=written,
                corrected=corrected,
                replacement=corrected or written,
                start=start,
                end=end,
            )
        )
