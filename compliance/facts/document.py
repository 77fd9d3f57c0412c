"""Stage 4: what the draft is — title, issuer and its kind, report year, regime, publication date.

Whatever is not stated is inferred from the text where it can be, and the report says so
(``DocumentInfo.inferred``, in the sentences of rules/lexicon/document.yaml); the user's
overrides win over both."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from compliance.errors import RuleFileError
from compliance.models.config import Overrides
from compliance.models.facts import DocumentFact, IssuerKind, TitleFact
from compliance.models.findings import DocumentInfo
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.resources import read_model
from compliance.rulebook import TEMPLATES, BoundedTemplate, Rulebook, check_template

_YEAR = r"((?:19|20)\d{2})"
_TITLE = re.compile(rf"^(?P<issuer>.*?)\s*(?P<year>{_YEAR[1:-1]})\s*年")
# "2019年上海市人民政府办公厅政府信息公开工作年度报告": the issuer after the year.
_TITLE_YEAR_FIRST = re.compile(
    rf"^\s*(?P<year>{_YEAR[1:-1]})\s*年度?\s*(?P<issuer>.+?)\s*(?:政府信息公开|政务公开|信息公开)"
)
# "本报告由淮安市洪泽区人民政府办公室根据《…》编制": the organ that compiled it.
_COMPILED_BY = re.compile(
    r"(?:本(?:年度)?报告|本年报)(?:是)?由(?P<issuer>[^，。,；《]{2,30}?)(?:根据|依据|按照|依照|编制|负责)"
)
_SIGNATURE_MAX = 30
_SIGNATURE_WITHIN = 5
# A page's own title field, kept with its chrome when the body has no title ("标题: …年度报告").
_PAGE_TITLE = re.compile(r"^\s*标\s*题\s*[:：|｜]\s*(?P<title>[^|｜]*?(?:报告|年报))\s*[|｜]*\s*$")
_STATED_PERIOD = re.compile(rf"{_YEAR}\s*年\s*1\s*月\s*1\s*日\s*(?:至|到|-|—|～)\s*{_YEAR}\s*年\s*12\s*月\s*31\s*日")
_PUBLISHING = re.compile(
    rf"(?:公布|公开|发布)(?P<issuer>[^，。,；《》()（）]{{2,30}}?)\s*{_YEAR}\s*年度?\s*(?:政府信息公开|政务公开)"
)
# The report named as the subject of its first sentence: "大竹县2009年政府信息公开工作年度报告(以下简称年报)根据…".
_REPORT_AS_SUBJECT = re.compile(
    rf"^\s*(?P<issuer>[^，。,；（(《]{{2,30}}?)\s*{_YEAR}\s*年度?\s*(?:政府信息公开|政务公开)[^，。,；]{{0,12}}报告"
)
# The subject of the first sentence of the overview: "2020年，杨陵区统计局以习近平…", "2023年，洪泽区人民政府坚持…".
_OPENING_SUBJECT = re.compile(
    rf"^\s*{_YEAR}\s*年度?\s*[，,]\s*(?P<issuer>[^，,。；\d]{{2,24}}?)"
    r"(?=以|坚持|认真|深入|紧紧|严格|按照|围绕|持续|进一步|全面|不断|紧扣|始终|高度重视|继续)"
)
_ANY_YEAR = re.compile(rf"{_YEAR}\s*年")
_PUBLISHED = re.compile(
    rf"(?:发布日期|发布时间|印发日期|成文日期)?[：:\s]*{_YEAR}\s*[年\-/.]\s*(\d{{1,2}})\s*[月\-/.]\s*(\d{{1,2}})\s*日?\s*$"
)


def _issuer_kind(issuer: str, rulebook: Rulebook) -> IssuerKind:
    lexicon = rulebook.issuers
    candidates: list[tuple[int, IssuerKind]] = [
        (len(s), "government") for s in lexicon.government_suffixes if issuer.endswith(s)
    ]
    candidates += [(len(s), "department") for s in lexicon.department_suffixes if issuer.endswith(s)]
    return max(candidates)[1] if candidates else "unknown"


def _voice_kind(text: str, rulebook: Rulebook) -> IssuerKind:
    government = sum(text.count(w) for w in rulebook.issuers.government_voice)
    department = sum(text.count(w) for w in rulebook.issuers.department_voice)
    if government == department:
        return "unknown"
    return "government" if government > department else "department"


def _opening(tree: DocumentTree) -> str:
    """Preamble and first part: where a report states its own year and issuer."""
    texts = [p.text for p in tree.preamble if p.kind == "paragraph"]
    if tree.sections:
        texts += [n.text for n in tree.sections[0].walk() if n.kind == "paragraph"][:3]
    return "\n".join(texts)


class DocumentWording(BaseModel):
    """rules/lexicon/document.yaml: where a value was found (``sources``) and the sentences
    saying what was inferred (``inferred``: templates over ``values`` and ``source``)."""

    model_config = ConfigDict(extra="forbid")

    sources: dict[str, str]
    inferred: dict[str, str]


@cache
def wording(root: Path) -> tuple[DocumentWording, dict[str, BoundedTemplate]]:
    """The sentences of ``<rules>/lexicon/document.yaml``, checked and compiled once per rules folder."""
    path = root / "lexicon" / "document.yaml"
    words = read_model(path, DocumentWording)
    for key, source in words.sources.items():
        check_template(source, {}, path, f"sources.{key}")
    for key, source in words.inferred.items():
        check_template(source, {"values": None, "source": None}, path, f"inferred.{key}")
    return words, {key: TEMPLATES.from_string(source) for key, source in words.inferred.items()}


def _said(rulebook: Rulebook, key: str, **values) -> str:
    """The sentence ``key`` of rules/lexicon/document.yaml; ``values["source"]`` names where the value was found."""
    words, templates = wording(rulebook.root)
    path = rulebook.root / "lexicon" / "document.yaml"
    if key not in templates or values.get("source", "") not in {"", *words.sources}:
        raise RuleFileError(
            str(path), f"no sentence inferred.{key} or source {values.get('source')!r} (document.py names it)"
        )
    return templates[key].render({"values": values, "source": words.sources.get(values.get("source", ""), "")})


def _infer_year(tree: DocumentTree, text: str) -> tuple[int | None, str]:
    """The report year from the text, and where it was found (a key of the wording's sources)."""
    opening = _opening(tree)
    period = _STATED_PERIOD.search(opening)
    if period:
        return int(period.group(1)), "period"
    publishing = _PUBLISHING.search(opening)
    if publishing:
        return int(publishing.group(2)), "publishing"
    years = Counter(int(m.group(1)) for m in _ANY_YEAR.finditer(opening or text))
    if years:
        return years.most_common(1)[0][0], "most-frequent-year"
    return None, ""


# A web page's own 发布日期 line near the top ("发布日期：2020-01-31", "时间:2017-01-12 10:01").
_PAGE_DATE = re.compile(
    rf"(?:发布日期|发布时间|发文日期|成文日期|时间)\s*[：:]\s*{_YEAR}\s*[年\-/.]\s*(\d{{1,2}})\s*[月\-/.]\s*(\d{{1,2}})"
)


def _published(tree: DocumentTree) -> str | None:
    """A publication date stated as the last line (signature date), or a 发布日期 line of the page."""
    paragraphs = [n for n in tree.walk() if n.kind == "paragraph"]
    found = [m for p in reversed(paragraphs[-3:]) if len(p.text) <= 40 and (m := _PUBLISHED.search(p.text))]
    page = [
        p.text if p.kind == "paragraph" else " ".join(c.text for row in p.rows for c in row) for p in tree.preamble[:6]
    ]
    found += [m for text in page if (m := _PAGE_DATE.search(text))]  # a field line may read as a table row
    if not found:
        return None
    year, month, day = (int(g) for g in found[0].groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _signature(tree: DocumentTree, rulebook: Rulebook) -> str | None:
    """The organ that signs the report (落款): a short line naming an organ among the last lines."""
    suffixes = tuple(rulebook.issuers.government_suffixes + rulebook.issuers.department_suffixes)
    last = [n for n in tree.walk() if n.kind == "paragraph"][-_SIGNATURE_WITHIN:]  # page chrome may follow it
    for paragraph in reversed(last):
        text = paragraph.text.strip()
        if len(text) <= _SIGNATURE_MAX and text.endswith(suffixes) and not re.search(r"[，。；：,;:！？]", text):
            return text
    return None


def _issuer_from_text(tree: DocumentTree, rulebook: Rulebook) -> tuple[str | None, str]:
    """Without a title naming it: the issuer from the sentence that publishes the report, the
    signature, or the sentence naming who compiled it — and where it was found (a key of the
    wording's sources)."""
    opening = _opening(tree)
    publishing = _PUBLISHING.search(opening)
    if publishing and _named(publishing["issuer"], rulebook):
        return publishing["issuer"].strip(), "publishing"
    subject = _REPORT_AS_SUBJECT.search(opening)
    if subject and _named(subject["issuer"], rulebook):
        return subject["issuer"].strip(), "report-as-subject"
    signature = _signature(tree, rulebook)
    if signature:
        return signature, "signature"
    compiled = _COMPILED_BY.search(opening)
    if compiled:
        return compiled["issuer"].strip(), "compiled-by"
    sentences = [n.text for n in tree.walk() if n.kind == "paragraph"][:6]
    acting = next(
        (m for text in sentences if (m := _OPENING_SUBJECT.match(text)) and _named(m["issuer"], rulebook)), None
    )
    if acting:
        return acting["issuer"].strip(), "opening-subject"
    return None, ""


def _named(issuer: str, rulebook: Rulebook) -> bool:
    """An organ's name: it ends in an organ's suffix and is more than that suffix ("我局" is none)."""
    issuer = issuer.strip()
    suffixes = rulebook.issuers.government_suffixes + rulebook.issuers.department_suffixes
    return (
        issuer.endswith(tuple(suffixes)) and issuer not in suffixes and not issuer.startswith(("我", "本", "全", "各"))
    )


def _page_title(tree: DocumentTree) -> str | None:
    """The title field of the page a text was copied from, line by line (the fields may be joined)."""
    lines = (line for p in tree.preamble[:12] if p.kind == "paragraph" for _, line in p.pieces)
    return next((m["title"] for line in lines if (m := _PAGE_TITLE.match(line))), None)


def _title_parts(title: str, rulebook: Rulebook) -> tuple[str | None, int | None]:
    """The issuer and year a title names: "苏州市2018年…报告", "2019年上海市人民政府办公厅…报告"."""
    match = _TITLE.match(title)
    if not match:
        return None, None
    issuer = match["issuer"].strip() or None
    year_first = None if issuer else _TITLE_YEAR_FIRST.match(title)
    if year_first and _named(year_first["issuer"], rulebook):
        issuer = year_first["issuer"].strip()
    return issuer, int(match["year"])


def describe(
    tree: DocumentTree, text: NormalizedText, rulebook: Rulebook, overrides: Overrides
) -> tuple[DocumentInfo, list]:
    """Return the document description and its facts (document, title)."""
    inferred: dict[str, str] = {}
    title = tree.title.text if tree.title else None
    page_title = None if title else _page_title(tree)
    issuer, year = _title_parts(title or page_title or "", rulebook)
    for field, value in (("year", year), ("issuer", issuer)):
        if page_title and value:
            inferred[field] = _said(rulebook, "page-title")
    if issuer is None:
        issuer, source = _issuer_from_text(tree, rulebook)
        if issuer:
            inferred["issuer"] = _said(rulebook, "issuer", titled=bool(title), source=source)
    if year is None:
        year, source = _infer_year(tree, text.text)
        if year is not None:
            inferred["year"] = _said(rulebook, "year", source=source)
    kind: IssuerKind = _issuer_kind(issuer, rulebook) if issuer else "unknown"
    if kind == "unknown":
        kind = _voice_kind(text.text, rulebook)
        if kind != "unknown":
            inferred["issuer_kind"] = _said(rulebook, "issuer-kind-voice")
    if overrides.year is not None:
        year = overrides.year
        inferred.pop("year", None)
    if overrides.issuer_kind is not None:
        kind = overrides.issuer_kind
        inferred.pop("issuer_kind", None)
    if overrides.regime is not None:
        regime = rulebook.regimes[overrides.regime]
    elif year is not None:
        regime = rulebook.regime_for_year(year)
    else:
        regime = rulebook.regimes["ogi2019"]
        inferred["regime"] = _said(rulebook, "regime-default")
    info = DocumentInfo(
        title=title,
        issuer=issuer,
        issuer_kind=kind,
        year=year,
        regime=regime.id,
        script=text.script,
        published=_published(tree),
        inferred=inferred,
    )
    return info, [_document_fact(info, regime.label), _title_fact(tree, page_title)]


def _document_fact(info: DocumentInfo, regime_label: str) -> DocumentFact:
    year = info.year or 0
    return DocumentFact(
        year=year,
        year_plus_1=year + 1 if year else 0,
        regime=info.regime,
        regime_label=regime_label,
        issuer=info.issuer or "",
        issuer_kind=info.issuer_kind,
        script=info.script,
    )


_REPORT_NAME = re.compile(r"(?:\d{4}\s*年度?)?\s*(?:政府信息公开|政务公开|信息公开)")
# An organ named without its place ("县政府办", "区科技局", "市政府办公室"): the title does not say whose.
_BARE_ORGAN = re.compile(r"^(县|区|市|州|盟|旗|镇|乡|街道|省)(人民)?(政府|[^\s]{0,8}?(局|委|办|厅|中心|办公室))")


def _title_fact(tree: DocumentTree, page_title: str | None) -> TitleFact:
    """The title line, or the title field of the page the text was copied from (a page's heading
    that its copy keeps among the page's fields: the report has a title)."""
    if tree.title is None and page_title is None:
        return TitleFact(present=False, text="", names_issuer=False, names_year=False, missing=2)
    text = tree.title.text if tree.title else page_title or ""
    names_year = bool(_ANY_YEAR.search(text))
    before_name = _REPORT_NAME.search(text)
    organ = text[: before_name.start()].strip() if before_name else ""
    names_issuer = bool(organ) and not _BARE_ORGAN.match(organ)
    return TitleFact(
        start=tree.title.start if tree.title else 0,
        end=tree.title.end if tree.title else 0,
        present=True,
        text=text,
        names_issuer=names_issuer,
        names_year=names_year,
        missing=(not names_issuer) + (not names_year),
    )
