"""Batch screening: a folder of submissions in every form, bad files included, always completes with
one row per file; copied parts are found across the set; outputs are written."""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
import threading
from collections import Counter
from urllib.parse import quote

import numpy as np
import pytest
from builders import to_docx, to_html
from click.testing import CliRunner
from conftest import CORPUS, FIXTURES, NEEDS_CHROMIUM, seed_path, shared_file, summary_rows

from cli import main
from compliance.facts.duplicates import OtherReport, PartPrint, fingerprint
from compliance.models.config import Config, Overrides
from compliance.screen import Settings, screen, start_method
from compliance.screen.index import candidates, common_prints

HOSTILE = "<img src=x onerror=alert(1)>"
TEXTS = ["report_2021.txt", "report_2019.txt", "report_2021_broken.txt", "report_2021_suzhou_kp.txt"]


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for key in ("000", "001", "003"):
        shutil.copy(seed_path(key), folder / f"seed-{key}.txt")
    for name in TEXTS:
        shutil.copy(FIXTURES / name, folder / name)
    nested = folder / "各部门"
    nested.mkdir()
    to_docx((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), nested / "自然资源和规划局.docx")
    to_html((FIXTURES / "report_2019.txt").read_text(encoding="utf-8"), nested / "昆山.html")
    whole = (nested / "自然资源和规划局.docx").read_bytes()
    (folder / "corrupt.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(shared_file(CORPUS / "garbled-font.pdf"), folder / "garbled-font.pdf")
    (folder / "notes.xlsx").write_bytes(b"PK not a submission")  # not a supported format: not listed
    shutil.copy(FIXTURES / "report_2019.txt", folder / f"{HOSTILE}.txt")
    shutil.copy(seed_path("004"), folder / "要点.txt")  # a 工作要点 sent in by mistake: a row, not a grade
    return folder


@pytest.fixture(scope="module")
def screened(submissions, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    settings = Settings(directory=submissions, outdir=out, config=Config(), overrides=Overrides())
    return screen(settings, jobs=1), out


def test_one_row_per_file_and_bad_files_say_why(screened, submissions):
    result, _ = screened
    files = sorted(
        str(p.relative_to(submissions)) for p in submissions.rglob("*") if p.is_file() and p.suffix != ".xlsx"
    )
    assert sorted(row.file for row in result.rows) == files
    errors = {row.file: row.error for row in result.rows if row.error}
    assert set(errors) == {"corrupt.docx", "empty.txt", "garbled-font.pdf", "要点.txt"}
    # The reason alone: the file is the row's first column.
    assert errors["corrupt.docx"] == "不是有效的 .docx（不是有效的 zip 压缩包）" and errors["empty.txt"] == "文件为空"
    assert errors["garbled-font.pdf"].startswith("PDF 没有可用的文字")
    assert errors["要点.txt"].startswith("看起来是政务公开工作要点，不是政府信息公开工作年度报告")
    assert {row.grade for row in result.rows if row.error} == {"无法读取", "不是年度报告"}


def test_summary_csv_opens_in_excel_and_matches_the_reports(screened):
    result, out = screened
    raw = result.summary_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = summary_rows(raw.decode("utf-8-sig"))
    assert len(rows) == len(result.rows)
    seed = next(r for r in rows if r["file"] == "seed-001.txt")
    report = json.loads((out / "reports" / "seed-001.txt.json").read_text(encoding="utf-8"))
    assert (
        seed["grade"] == report["summary"]["grade"] and int(seed["critical"]) == report["summary"]["counts"]["critical"]
    )
    assert seed["year"] == "2017" and "TIME-YEAR" in seed["top_problems"]


def test_each_readable_report_has_json_and_html(screened):
    result, out = screened
    for row in result.rows:
        if row.error:
            assert not row.report_json
            continue
        assert json.loads((out / row.report_json).read_text(encoding="utf-8"))["schema_version"] == 1
        assert (out / row.report_html).read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_summary_page_links_every_report_and_escapes(screened):
    result, _ = screened
    page = result.summary_html.read_text(encoding="utf-8")
    for row in result.rows:
        assert row.file.replace("<", "&lt;").replace(">", "&gt;") in page
    nested = next(row for row in result.rows if row.file == "各部门/自然资源和规划局.docx")
    assert nested.report_html == "reports/各部门/自然资源和规划局.docx.html"  # folders kept as folders
    assert f'href="{nested.report_html}"' in page or f'href="{quote(nested.report_html)}"' in page
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;.txt" in page


@NEEDS_CHROMIUM
def test_summary_page_sorts_by_a_column_and_grades_best_first(screened, browser):
    result, _ = screened
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(result.summary_html.as_uri())
    column = {name: index for index, name in enumerate(page.locator("#summary th").all_inner_texts())}

    def cells(name: str) -> list[str]:
        return page.locator(f"#summary tbody tr td:nth-child({column[name] + 1})").all_inner_texts()

    page.get_by_role("columnheader", name="得分").click()
    scores = [int(score) for score in cells("得分") if score]
    assert scores == sorted(scores) and cells("得分")[-4:] == ["", "", "", ""]  # files without a grade last
    page.get_by_role("columnheader", name="等级").click()
    order = ["合格", "基本合格", "不合格", "不是年度报告", "无法读取"]
    grades = cells("等级")
    assert grades == sorted(grades, key=order.index) and len(set(grades)) > 2
    page.get_by_role("columnheader", name="等级").click()  # again: reversed
    assert cells("等级") == sorted(grades, key=order.index, reverse=True)
    assert errors == []
    page.close()


def test_copies_across_the_set_name_the_other_report(screened):
    """The broken 2021 fixture is the correct one with errors injected: its prose is a copy."""
    result, _ = screened
    broken = next(r for r in result.rows if r.file == "report_2021_broken.txt")
    assert any(
        "苏州市自然资源和规划局2021年政府信息公开工作年度报告" in copy and "五、存在的主要问题及改进情况" in copy
        for copy in broken.copied_from
    )
    seed = next(r for r in result.rows if r.file == "seed-000.txt")
    assert seed.copied_from == []


def test_a_part_copied_from_the_same_issuers_earlier_report_is_called_last_years(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    problems = (
        "我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一，图解、视频等解读方式运用不多；"
        "二是依申请公开答复文书的规范性有待提高；三是基层工作人员业务能力有待加强。"
    )
    for year in (2020, 2021):
        (folder / f"{year}.txt").write_text(
            f"苏州市交通运输局{year}年政府信息公开工作年度报告\n一、总体情况\n"
            f"{year}年，我局围绕第{year - 2000}号重点任务推进公开。\n"
            f"五、存在的主要问题及改进情况\n{problems}\n",
            encoding="utf-8",
        )
    result = screen(Settings(directory=folder, outdir=tmp_path / "out", config=Config(), overrides=Overrides()), jobs=1)
    later = next(r for r in result.rows if r.file == "2021.txt")
    assert (
        later.copied_from and "与上一年度报告《苏州市交通运输局2020年政府信息公开工作年度报告》" in later.copied_from[0]
    )
    earlier = next(r for r in result.rows if r.file == "2020.txt")
    assert "与同批报告《苏州市交通运输局2021年" in earlier.copied_from[0]


def _report(number: int, text: str) -> OtherReport:
    return OtherReport(f"{number}.txt", None, None, None, [PartPrint("一、总体情况", 0, 5, fingerprint(text))])


def _prose(generator: random.Random, length: int = 150) -> str:
    return "".join(chr(generator.randrange(0x4E00, 0x9FA5)) for _ in range(length))


def test_index_finds_the_one_copied_pair_among_many_and_ignores_shared_wording():
    generator = random.Random(7)
    shared = (
        "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室的要求编制，"
        "所列数据统计期限为全年。"
    )
    reports = [_report(n, shared + _prose(generator)) for n in range(300)]
    copied = _prose(generator)
    reports += [_report(300, shared + copied), _report(301, copied + "以上。")]
    common = common_prints(reports)
    assert np.isin(fingerprint(shared), common).all()  # the wording everyone uses
    related = candidates(reports, common)
    assert related[300] == {301} and related[301] == {300}
    assert not any(related[:300])


def test_cli_in_parallel_processes_with_exit_status(submissions, tmp_path):
    result = CliRunner().invoke(main, ["screen", str(submissions), "-o", str(tmp_path / "out"), "-j", "2", "--no-html"])
    assert result.exit_code == 2, result.output  # some files could not be read
    rows = summary_rows((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig"))
    assert len(rows) == 14 and sum(1 for r in rows if r["error"]) == 4
    # Totals best grade first, unreadable files last.
    counts = Counter(r["grade"] for r in rows)
    totals = "，".join(
        f"{grade} {counts[grade]}"
        for grade in ("合格", "基本合格", "不合格", "不是年度报告", "无法读取")
        if counts[grade]
    )
    assert f"14 份：{totals}；汇总见 " in result.output and "summary.html" in result.output
    assert not list((tmp_path / "out" / "reports").glob("*.html"))


def test_notices_for_the_failing_reports_only_addressed_to_their_issuers(submissions, tmp_path):
    out = tmp_path / "out"
    args = [
        "screen",
        str(submissions),
        "-o",
        str(out),
        "-j",
        "1",
        "--no-html",
        "--notices",
        "--from",
        "苏州市人民政府办公室",
        "--deadline",
        "2022-02-20",
        "--notice-date",
        "2022-02-10",
        "--notice-format",
        "markdown",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    rows = summary_rows((out / "summary.csv").read_text(encoding="utf-8-sig"))
    failing = {r["file"] for r in rows if r["grade"] == "不合格"}
    assert failing and {r["file"] for r in rows if r["notice"]} == failing
    seed = next(r for r in rows if r["file"] == "seed-001.txt")
    notice = (out / seed["notice"]).read_text(encoding="utf-8")
    assert "宿迁市政务服务管理办公室：" in notice and "2022年2月20日" in notice


def test_notices_need_an_issuing_body_and_a_deadline(submissions, tmp_path):
    result = CliRunner().invoke(main, ["screen", str(submissions), "-o", str(tmp_path), "--notices"])
    assert result.exit_code == 2 and "--notices 需要 --from" in result.output


def test_a_folder_without_submissions_says_so(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.xlsx").write_bytes(b"PK")
    result = CliRunner().invoke(main, ["screen", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0 and "下没有可检查的文件（.docx、" in result.output
    assert list(csv.reader((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))[1:] == []


def test_each_worker_reports_its_peak_memory(screened):
    result, _ = screened
    assert len(result.worker_memory) == 1  # jobs=1
    # bytes, not gigabytes: a spawned worker's ~70 MB; a forked one's what it adds (~10 MB, less
    # when the screening process's heap had room for what it allocates)
    assert all(0 <= peak < 2 * 2**30 for peak in result.worker_memory)


def test_a_workers_peak_memory_is_its_own_not_the_screening_process():
    """getrusage's ru_maxrss in a spawned process counts its parent's size at the fork (Linux keeps
    it through the exec): a worker would report the screening process's memory."""
    import multiprocessing

    from compliance.screen.worker import peak_memory

    ballast = bytearray(300 * 2**20)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched: resident
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        peak = pool.apply(peak_memory)
    del ballast
    assert 5 * 2**20 < peak < 250 * 2**20


FORKED_WORKER = """
import json, shutil, sys
from pathlib import Path
from compliance.models.config import Config, Overrides
from compliance.screen import Settings, screen, start_method
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
ballast = bytearray(300 * 2**20)
ballast[::4096] = b"\\1" * len(ballast[::4096])  # touched: resident
method = start_method()
result = screen(Settings(directory=folder, outdir=out, config=Config(), overrides=Overrides()), jobs=1)
print(json.dumps([method, [row.error for row in result.rows], result.worker_memory]))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_forked_worker_says_the_memory_it_adds_not_what_it_shares(tmp_path):
    """A worker forked by a 300 MB screening process shares those pages with it: its figure is what
    it adds, tens of MB, as a spawned worker's is. (In a process of its own: this one may run a
    thread, the browser tests' child watcher, and then workers are spawned.)"""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in TEXTS:
        shutil.copy(FIXTURES / name, folder / name)
    done = subprocess.run(
        [sys.executable, "-c", FORKED_WORKER, str(folder), str(tmp_path / "out")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    method, errors, memory = json.loads(done.stdout)
    assert method == "fork" and errors == [""] * len(TEXTS)
    assert len(memory) == 1 and 5 * 2**20 < memory[0] < 250 * 2**20


def test_workers_are_spawned_while_another_thread_runs():
    """A forked child has only the thread that forked it: a lock another thread held would stay
    locked in it (a progress bar's thread writing to the terminal, say)."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_method() == "spawn"
    finally:
        release.set()
        other.join()


def test_the_progress_bar_draws_without_a_thread_of_its_own(monkeypatch):
    """In a terminal the bar is drawn as files finish: the screening process stays single-threaded
    and its workers are forked (a spawned one takes half a second to start)."""
    import io

    from rich.console import Console

    from compliance.screen import progress

    terminal = io.StringIO()
    monkeypatch.setattr(progress, "Console", lambda stderr: Console(file=terminal, force_terminal=True, width=80))
    threads = threading.active_count()
    with progress.screen_progress() as tick:
        assert threading.active_count() == threads
        for _ in range(3):
            tick("检查", 1, 3)
    assert "检查" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_the_csv_header_is_chinese():
    from compliance.screen.summary import summary_csv

    header = "文件,格式,发布机关,机关类别,年度,制度版本,得分,等级,严重,重要,一般,提示,主要问题,内容雷同,整改通知,错误"
    header += ",批注稿,年度比对"
    assert summary_csv([]).splitlines() == [header]


def test_the_csv_header_is_english_under_an_english_locale(english):
    from compliance.screen.summary import COLUMNS, summary_csv

    assert summary_csv([]).splitlines() == [",".join(COLUMNS)]  # the header before it was translated


def test_a_file_name_a_spreadsheet_would_run_is_written_as_text():
    from compliance.screen.summary import SummaryRow, summary_csv

    rows = summary_rows(summary_csv([SummaryRow(file='=HYPERLINK("http://x").txt', error="@SUM(1)", score=90)]))
    assert rows[0]["file"] == '\'=HYPERLINK("http://x").txt' and rows[0]["error"] == "'@SUM(1)"
    assert rows[0]["score"] == "90"
