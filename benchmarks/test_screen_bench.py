"""Throughput of ``screen`` on a generated set of 500 reports (``make bench``): reports per second,
for text inputs (.txt/.md) and for a mix of all forms (.txt, .md, .docx, .html); and on 5,000
text reports, each worker's peak memory (it must not grow with the number of reports).

The set is built from the test fixtures with issuers, years and figures varied per report, so the
reports differ as real submissions do (and their shared template wording is what the
DUP-BOILERPLATE index must discard quickly)."""

from __future__ import annotations

import random
import resource
import sys
from pathlib import Path

import pytest

from compliance.facts.duplicates import OtherReport, PartPrint, fingerprint
from compliance.models.config import Config, Overrides
from compliance.screen import Settings, screen
from compliance.screen.index import candidates, common_prints

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from builders import to_docx, to_html  # noqa: E402

FIXTURES = ["report_2021.txt", "report_2019.txt", "report_2021_broken.txt", "report_2021_suzhou_kp.txt"]
COUNT = 500
LARGE = 5000
JOBS = 2
MB = 1 << 20


def _variant(text: str, number: int, generator: random.Random) -> str:
    """The fixture as another agency's report: another issuer name and other prose figures."""
    text = text.replace("苏州市自然资源和规划局", f"苏州市第{number}局").replace(
        "昆山市人民政府", f"第{number}县人民政府"
    )
    return text.replace("主动公开政府信息", f"主动公开政府信息{generator.randint(1, 9)}类，共计")


def _build(folder: Path, forms: list[str], count: int = COUNT) -> Path:
    generator = random.Random(2026)
    texts = [(ROOT / "tests" / "fixtures" / name).read_text(encoding="utf-8") for name in FIXTURES]
    folder.mkdir()
    for number in range(count):
        text = _variant(texts[number % len(texts)], number, generator)
        form = forms[number % len(forms)]
        path = folder / f"{number:04d}.{form}"
        if form == "docx":
            to_docx(text, path)
        elif form == "html":
            to_html(text, path)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("forms", [["txt", "md"], ["txt", "md", "docx", "html"]], ids=["text", "mixed"])
def test_screen_500(benchmark, tmp_path, forms):
    folder = _build(tmp_path / "in", forms)
    rounds = iter(range(10))

    def run():
        settings = Settings(
            directory=folder, outdir=tmp_path / f"out{next(rounds)}", config=Config(), overrides=Overrides()
        )
        return screen(settings, jobs=JOBS)

    result = benchmark.pedantic(run, rounds=2, iterations=1)
    assert len(result.rows) == COUNT and not any(row.error for row in result.rows)
    benchmark.extra_info["reports_per_second"] = round(COUNT / benchmark.stats.stats.median, 1)
    benchmark.extra_info["worker_peak_rss_mb"] = [round(peak / MB, 1) for peak in result.worker_memory]


def test_screen_5000_memory(benchmark, tmp_path):
    """5,000 text reports, 2 workers, once: the rate, and each worker's peak memory as it reported
    it (``ScreenResult.worker_memory``: a forked worker's, what it adds to the pages it shares with
    the screening process) — about what one report needs, not growing with the set — beside the
    screening process's own peak (this pytest process: the rows and the fingerprints of the whole
    set)."""
    folder = _build(tmp_path / "in", ["txt", "md"], LARGE)

    def run():
        settings = Settings(directory=folder, outdir=tmp_path / "out", config=Config(), overrides=Overrides())
        return screen(settings, jobs=JOBS)

    result = benchmark.pedantic(run, rounds=1, iterations=1)
    assert len(result.rows) == LARGE and not any(row.error for row in result.rows)
    assert len(result.worker_memory) == JOBS
    benchmark.extra_info["reports_per_second"] = round(LARGE / benchmark.stats.stats.median, 1)
    benchmark.extra_info["worker_peak_rss_mb"] = [round(peak / MB, 1) for peak in result.worker_memory]
    benchmark.extra_info["screening_process_peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        1,  # Linux: KiB
    )


def test_copy_index_5000_reports(benchmark):
    """The DUP-BOILERPLATE index alone on 5,000 reports of six parts of random prose (the worst case
    for it: no hash is common, so every one is indexed), two parts of each sharing a template that
    one report in fifteen uses, and one pair of real copies."""
    generator = random.Random(5)

    def prose(length: int) -> str:
        return "".join(chr(generator.randrange(0x4E00, 0x9FA5)) for _ in range(length))

    templates = [prose(400) for _ in range(30)]
    reports = [
        OtherReport(
            f"{n}.txt",
            None,
            None,
            None,
            [
                PartPrint(str(p), 0, 1, fingerprint((templates[(n + p) % 30] if p < 2 else "") + prose(300)))
                for p in range(6)
            ],
        )
        for n in range(5000)
    ]
    copied = prose(300)
    for n in (10, 4000):
        reports[n].parts[3] = PartPrint("3", 0, 1, fingerprint(copied))

    def run():
        return candidates(reports, common_prints(reports))

    related = benchmark.pedantic(run, rounds=3, iterations=1)
    assert related[10] == {4000} and related[4000] == {10} and sum(map(len, related)) == 2
