"""Screening never loses a file (issue 14): outputs that cannot collide, long names, an output
folder inside (or equal to) the screened one, symlinks leaving the folder."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from cli import main
from compliance.models.config import Config, Overrides
from compliance.screen import ScreenError, Settings, screen
from compliance.screen.files import NAME_MAX, output_names
from compliance.screen.summary import SKIPPED
from conftest import FIXTURES

LONG = "长" * 83  # 249 bytes: with ".txt" a valid name, with ".txt.json" one the file system refuses
SECRET = "外泄标记七七四九"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _csv(out: Path) -> dict[str, dict]:
    return {row["file"]: row for row in csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines())}


def _partial_files(out: Path) -> list[Path]:
    return [path for path in out.rglob("*") if path.name.startswith(".") or path.suffix == ".part"]


# -- output names ---------------------------------------------------------------------------------


def test_output_names_cannot_collide():
    folder = Path("/in")
    paths = [folder / p for p in ("sub/x.txt", "sub__x.txt", "A.txt", "a.txt", "a.txt.json/b.txt", "a~2.txt",
                                  f"{LONG}.txt", f"{LONG[:-1]}乙.txt", f"{LONG}.pdf")]
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


# -- a set with those troubles at once: one screening, several tests --------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder, outside = base / "in", base / "outside"
    _put(outside / "secret.txt", _fixture("report_2019.txt").replace("昆山市人民政府", SECRET))
    _put(outside / "more" / "other.txt", _fixture("report_2019.txt").replace("昆山市人民政府", SECRET))
    _put(folder / "sub" / "x.txt", _fixture("report_2019.txt"))
    _put(folder / "sub__x.txt", _fixture("report_2021_suzhou_kp.txt"))
    _put(folder / f"{LONG}.txt", _fixture("report_2019.txt").replace("昆山市人民政府", "长长市人民政府"))
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside / "more", target_is_directory=True)
    (folder / "inside-link.txt").symlink_to(folder / "sub" / "x.txt")
    out = base / "out"
    result = screen(Settings(directory=folder, outdir=out, config=Config(), overrides=Overrides()), jobs=2)
    return result, {row.file: row for row in result.rows}, out


def test_colliding_names_each_keep_their_report(hostile):
    _, rows, out = hostile
    nested, flat = rows["sub/x.txt"], rows["sub__x.txt"]
    assert nested.report_json == "reports/sub/x.txt.json" and flat.report_json == "reports/sub__x.txt.json"
    for row in (nested, flat):
        report = json.loads((out / row.report_json).read_text(encoding="utf-8"))
        assert report["source"]["path"].endswith(row.file)
        assert (out / row.report_html).is_file()
    assert nested.issuer != flat.issuer


def test_a_long_name_is_a_report_not_an_error(hostile):
    _, rows, out = hostile
    row = rows[f"{LONG}.txt"]
    assert not row.error and row.issuer == "长长市人民政府"
    assert (out / row.report_json).is_file() and len(Path(row.report_json).name.encode()) <= NAME_MAX


def test_symlinks_leaving_the_folder_are_rows_never_read(hostile):
    result, rows, out = hostile
    assert rows["leak.txt"].grade == SKIPPED and "符号链接指向检查文件夹之外" in rows["leak.txt"].error
    assert rows["linked"].grade == SKIPPED and not rows["linked"].report_json
    assert not any(name.startswith("linked/") for name in rows)
    assert not any(SECRET in path.read_text(encoding="utf-8") for path in out.rglob("*.json"))
    assert SECRET not in result.summary_csv.read_text(encoding="utf-8-sig")
    inside = rows["inside-link.txt"]  # a link that stays inside is screened
    assert not inside.error and inside.issuer == rows["sub/x.txt"].issuer and (out / inside.report_json).is_file()


def test_every_file_has_one_row_and_the_summary_was_written(hostile):
    result, rows, out = hostile
    assert set(rows) == {"sub/x.txt", "sub__x.txt", f"{LONG}.txt", "leak.txt", "linked", "inside-link.txt"}
    assert set(_csv(out)) == set(rows)
    assert not _partial_files(out)


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
    assert (folder / "summary.html").read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["one.txt", "summary.html"]
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
