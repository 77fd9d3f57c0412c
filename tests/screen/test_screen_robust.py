"""Screening never loses a file and never hangs (issue 14): outputs that cannot collide, long names,
an output folder inside (or equal to) the screened one, symlinks leaving the folder, a file that
hangs, a worker killed mid-run (in either pass), Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, summary_rows

from cli import main
from compliance.models.config import Config, Overrides
from compliance.screen import Pool, ScreenError, Settings, screen
from compliance.screen.files import NAME_MAX, output_names, remove_leftovers
from compliance.screen.summary import CRASHED, INTERRUPTED, SKIPPED, TIMED_OUT

HERE = Path(__file__).resolve().parent
HOOK = {"COMPLIANCE_SCREEN_TEST_HOOK": "screen_hooks:act"}
LONG = "长" * 83  # 249 bytes: with ".txt" a valid name, with ".txt.json" one the file system refuses
SECRET = "外泄标记七七四九"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _csv(out: Path) -> dict[str, dict]:
    return {row["file"]: row for row in summary_rows((out / "summary.csv").read_text(encoding="utf-8-sig"))}


def _partial_files(out: Path) -> list[Path]:
    return [path for path in out.rglob("*") if path.name.startswith(".") or path.suffix == ".part"]


# -- output names ---------------------------------------------------------------------------------


def test_output_names_cannot_collide():
    folder = Path("/in")
    paths = [
        folder / p
        for p in (
            "sub/x.txt",
            "sub__x.txt",
            "A.txt",
            "a.txt",
            "a.txt.json/b.txt",
            "a~2.txt",
            f"{LONG}.txt",
            f"{LONG[:-1]}乙.txt",
            f"{LONG}.pdf",
        )
    ]
    names = output_names(paths, folder)
    assert names[:2] == ["sub/x.txt", "sub__x.txt"]  # folders stay folders
    assert len({name.casefold() for name in names}) == len(names)
    outputs = {f"{name}{suffix}".casefold() for name in names for suffix in (".json", ".html", ".md", ".docx")}
    folders = {str(parent).casefold() for name in names for parent in PurePosixPath(name).parents}
    assert not outputs & folders  # no report named like a folder ("a.txt.json/")
    for name in names:
        assert all(len(f"{part}.docx".encode()) <= NAME_MAX for part in PurePosixPath(name).parts)
    long_txt, long_other, long_pdf = names[6:9]
    assert long_txt.startswith("长" * 20) and long_txt.endswith(".txt") and long_pdf.endswith(".pdf")
    assert len({long_txt, long_other}) == 2
    assert names == output_names(paths, folder)  # the same set, the same names


def test_leftovers_of_a_killed_write_are_removed_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    names = ["sub/x.txt", "a.txt", f"{LONG}.txt"]
    leftovers = [
        out / "reports" / "sub" / ".x.txt.json.ab12cd_3.part",
        out / "reports" / ".a.txt.html.zz9y8x7w.part",
        out / "notices" / ".a.txt.docx.0a1b2c3d.part",
        out / "reports" / f".{(LONG + '.txt.json')[:60]}.k2j3h4g5.part",
    ]
    kept = [
        out / "reports" / "a.txt.json",  # an output
        out / "reports" / ".b.txt.json.ab12cd34.part",  # no submission of this screening
        out / "reports" / ".a.txt.json.notes",  # not a temporary file
        out / "reports" / "sub" / ".a.txt.json.ab12cd34.part",  # a.txt is not in sub/
    ]
    for path in leftovers + kept:
        _put(path, "x")
    remove_leftovers(out, names)
    assert not any(path.exists() for path in leftovers) and all(path.exists() for path in kept)


def test_a_worker_killed_while_its_last_file_is_written_loses_nothing(tmp_path, monkeypatch):
    """A worker writes one file's outputs while it checks the next: dying on the next one, it may
    be cut in the middle of that write. The written file is checked again elsewhere; no
    temporary file is left."""
    folder, markers = tmp_path / "in", tmp_path / "markers"
    markers.mkdir()
    for number in range(6):
        _put(folder / f"a{number}.txt", _fixture("report_2019.txt").replace("昆山市人民政府", f"第{number}县人民政府"))
    _put(folder / "b-die-always.txt", _fixture("report_2019.txt"))
    for key, value in {**HOOK, "SCREEN_HOOK_MARKERS": str(markers)}.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "out"
    result = screen(Settings(directory=folder, outdir=out, config=Config(), overrides=Overrides()), jobs=1)
    rows = {row.file: row for row in result.rows}
    assert rows["b-die-always.txt"].grade == CRASHED
    for number in range(6):
        row = rows[f"a{number}.txt"]
        assert not row.error and row.issuer == f"第{number}县人民政府"
        assert json.loads((out / row.report_json).read_text(encoding="utf-8"))["document"]["issuer"] == row.issuer
        assert (out / row.report_html).is_file()
    assert not _partial_files(out)


def test_workers_stopped_as_they_start_leave_at_once(tmp_path):
    """SIGTERM just after a worker says it is ready (as it starts its writer thread): it leaves
    through SystemExit, not by being killed after the grace period."""
    pool = Pool(2, Settings(directory=tmp_path, outdir=tmp_path / "out", config=Config(), overrides=Overrides()))
    pool.start()
    for one in pool.workers:
        assert one.connection.recv() == "ready"
    processes = [one.process for one in pool.workers]
    started = time.monotonic()
    pool.stop()
    assert [process.exitcode for process in processes] == [128 + signal.SIGTERM] * 2
    assert time.monotonic() - started < 1.0  # GRACE: none had to be killed


# -- a set with every trouble at once: one screening, several tests --------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder, outside, markers = base / "in", base / "outside", base / "markers"
    markers.mkdir()
    _put(outside / "secret.txt", _fixture("report_2019.txt").replace("昆山市人民政府", SECRET))
    _put(outside / "more" / "other.txt", _fixture("report_2019.txt").replace("昆山市人民政府", SECRET))
    _put(folder / "sub" / "x.txt", _fixture("report_2019.txt"))
    _put(folder / "sub__x.txt", _fixture("report_2021_suzhou_kp.txt"))
    _put(folder / f"{LONG}.txt", _fixture("report_2019.txt").replace("昆山市人民政府", "长长市人民政府"))
    _put(folder / "hang.txt", _fixture("report_2019.txt"))
    _put(folder / "die-always.txt", _fixture("report_2019.txt"))
    _put(folder / "die-once.txt", _fixture("report_2019.txt").replace("昆山市人民政府", "太仓市人民政府"))
    _put(folder / "orig-2021.txt", _fixture("report_2021.txt"))
    _put(folder / "die-again-2021.txt", _fixture("report_2021_broken.txt"))  # copies orig-2021: a second pass
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside / "more", target_is_directory=True)
    (folder / "inside-link.txt").symlink_to(folder / "sub" / "x.txt")
    out = base / "out"
    settings = Settings(directory=folder, outdir=out, config=Config(), overrides=Overrides(), timeout=2)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**HOOK, "SCREEN_HOOK_MARKERS": str(markers)}.items():
            patch.setenv(key, value)
        started = time.monotonic()
        result = screen(settings, jobs=2)
        seconds = time.monotonic() - started
    return result, {row.file: row for row in result.rows}, out, seconds


def test_colliding_names_each_keep_their_report(hostile):
    _, rows, out, _ = hostile
    nested, flat = rows["sub/x.txt"], rows["sub__x.txt"]
    assert nested.report_json == "reports/sub/x.txt.json" and flat.report_json == "reports/sub__x.txt.json"
    for row in (nested, flat):
        report = json.loads((out / row.report_json).read_text(encoding="utf-8"))
        assert report["source"]["path"].endswith(row.file)
        assert (out / row.report_html).is_file()
    assert nested.issuer != flat.issuer


def test_a_long_name_is_a_report_not_an_error(hostile):
    _, rows, out, _ = hostile
    row = rows[f"{LONG}.txt"]
    assert not row.error and row.issuer == "长长市人民政府"
    assert (out / row.report_json).is_file() and len(Path(row.report_json).name.encode()) <= NAME_MAX


def test_symlinks_leaving_the_folder_are_rows_never_read(hostile):
    result, rows, out, _ = hostile
    assert rows["leak.txt"].grade == SKIPPED and "符号链接指向检查文件夹之外" in rows["leak.txt"].error
    assert rows["linked"].grade == SKIPPED and not rows["linked"].report_json
    assert not any(name.startswith("linked/") for name in rows)
    assert not any(SECRET in path.read_text(encoding="utf-8") for path in out.rglob("*.json"))
    assert SECRET not in result.summary_csv.read_text(encoding="utf-8-sig")
    inside = rows["inside-link.txt"]  # a link that stays inside is screened
    assert not inside.error and inside.issuer == rows["sub/x.txt"].issuer and (out / inside.report_json).is_file()


def test_a_file_that_hangs_is_a_timeout_row_and_the_rest_goes_on(hostile):
    _, rows, _, seconds = hostile
    assert rows["hang.txt"].grade == TIMED_OUT and "2 秒" in rows["hang.txt"].error
    assert seconds < 40  # not the hour the file would take


def test_a_worker_killed_costs_only_its_file(hostile):
    _, rows, out, _ = hostile
    assert rows["die-always.txt"].grade == CRASHED and "两次异常退出" in rows["die-always.txt"].error
    once = rows["die-once.txt"]  # killed once, checked again on a new worker
    assert not once.error and once.issuer == "太仓市人民政府" and (out / once.report_json).is_file()
    broken = {CRASHED, TIMED_OUT, SKIPPED}
    expected = {"die-always.txt", "hang.txt", "leak.txt", "linked", "die-again-2021.txt"}  # the last: next test
    assert {name for name, row in rows.items() if row.grade in broken} == expected
    for name in ("sub/x.txt", "sub__x.txt", "inside-link.txt", "orig-2021.txt"):
        assert not rows[name].error and (out / rows[name].report_json).is_file()


def test_a_worker_killed_in_the_copied_content_pass(hostile):
    _, rows, out, _ = hostile
    again = rows["die-again-2021.txt"]  # its first check stands; the comparison with the set did not finish
    assert again.grade == CRASHED and "比对雷同" in again.error and again.score is not None
    assert (out / again.report_json).is_file()
    original = rows["orig-2021.txt"]  # the other of the pair was compared with it
    assert any("die-again-2021" in copy or "苏州市自然资源和规划局" in copy for copy in original.copied_from)


def test_every_file_has_one_row_and_the_summary_was_written(hostile):
    result, rows, out, _ = hostile
    assert set(rows) == {
        "sub/x.txt",
        "sub__x.txt",
        f"{LONG}.txt",
        "hang.txt",
        "die-always.txt",
        "die-once.txt",
        "orig-2021.txt",
        "die-again-2021.txt",
        "leak.txt",
        "linked",
        "inside-link.txt",
    }
    assert set(_csv(out)) == set(rows)
    assert not result.interrupted and not _partial_files(out)


# -- the output folder --------------------------------------------------------------------------


def _small_set(folder: Path) -> Path:
    _put(folder / "one.txt", _fixture("report_2019.txt"))
    _put(folder / "summary.html", "<html><body><p>一份名叫 summary.html 的报送材料</p></body></html>")
    return folder


def test_output_folder_equal_to_the_screened_one_is_refused(tmp_path):
    folder = _small_set(tmp_path / "in")
    before = (folder / "summary.html").read_bytes()
    result = CliRunner().invoke(main, ["screen", str(folder), "-o", str(folder)])
    assert result.exit_code == 2 and "是被检查的文件夹本身" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert (folder / "summary.html").read_bytes() == before and sorted(p.name for p in folder.iterdir()) == [
        "one.txt",
        "summary.html",
    ]
    # The same folder by another path (a symlink to it) too.
    (tmp_path / "alias").symlink_to(folder, target_is_directory=True)
    with pytest.raises(ScreenError):
        screen(Settings(directory=folder, outdir=tmp_path / "alias", config=Config(), overrides=Overrides()))


def test_output_folder_whose_reports_would_land_among_the_submissions_is_refused(tmp_path):
    folder = _small_set(tmp_path / "out" / "reports")
    result = CliRunner().invoke(main, ["screen", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "reports 会写进被检查的文件夹" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["one.txt", "summary.html"]


def test_output_folder_inside_the_screened_one_is_not_screened(tmp_path):
    folder = _small_set(tmp_path / "in")
    out = folder / "结果"
    for _ in range(2):  # a rerun does not screen the first run's outputs
        result = CliRunner().invoke(main, ["screen", str(folder), "-o", str(out), "-j", "1", "--no-html"])
        assert result.exit_code in (0, 1, 2), result.output
        assert set(_csv(out)) == {"one.txt", "summary.html"}
    assert (folder / "summary.html").read_text(encoding="utf-8").startswith("<html><body><p>一份名叫")
    assert (out / "reports" / "summary.html.json").is_file() and (out / "summary.html").is_file()


# -- Ctrl-C -------------------------------------------------------------------------------------


def test_ctrl_c_writes_the_summary_of_what_finished_and_exits_130(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    for number in (1, 2, 3):
        _put(folder / f"a{number}.txt", _fixture("report_2019.txt").replace("昆山市人民政府", f"第{number}县人民政府"))
    for number in (1, 2):
        _put(folder / f"slow-{number}.txt", _fixture("report_2019.txt"))  # still being checked at Ctrl-C
    path = os.pathsep.join([str(ROOT), str(HERE), os.environ.get("PYTHONPATH", "")])
    environment = {**os.environ, **HOOK, "PYTHONPATH": path}
    command = [sys.executable, "-c", "from cli import main; main()", "screen", str(folder), "-o", str(out), "-j", "2"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "reports").glob("a*.txt.html"))) < 3:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.1)
        time.sleep(0.5)  # a3's row on its way back
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "已中断" in stderr and "Traceback" not in stderr
    rows = _csv(out)
    assert set(rows) == {"a1.txt", "a2.txt", "a3.txt", "slow-1.txt", "slow-2.txt"}
    assert {rows[f"slow-{n}.txt"]["grade"] for n in (1, 2)} == {INTERRUPTED}
    finished = [name for name, row in rows.items() if not row["error"]]
    assert finished and set(finished) <= {"a1.txt", "a2.txt", "a3.txt"}
    assert all((out / f"reports/{name}.json").is_file() for name in finished)
    assert (out / "summary.html").is_file() and not _partial_files(out)
    assert not list(out.rglob("slow-*"))
