"""Uploads: files as given and the entries of a .zip, every entry checked before any is read."""

from __future__ import annotations

import re
import stat
import zipfile
from io import BytesIO

import pytest

from compliance.models.config import Limits
from compliance.workspace.web.uploads import UploadError, collect, read_archive

MB = 1024 * 1024
REPORT = "某县人民政府2021年政府信息公开工作年度报告\n".encode()


def archive(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in entries.items():
            made.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            made.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_a_folder_archive_gives_its_drafts_by_path_and_skips_the_rest():
    data = archive({"县/a.txt": REPORT, "县/sub/b.md": REPORT, "县/readme.xlsx": b"x", "县/.hidden.txt": REPORT})
    upload = read_archive("folder.zip", data, most_files=10, most_bytes=MB)
    assert [(draft.name, draft.data) for draft in upload.drafts] == [
        ("folder.zip/县/a.txt", REPORT),
        ("folder.zip/县/sub/b.md", REPORT),
    ]
    assert dict(upload.skipped) == {
        "folder.zip/县/readme.xlsx": "不是支持的报告格式，未检查",
        "folder.zip/县/.hidden.txt": "隐藏文件，未检查",
    }


@pytest.mark.parametrize("name", ["../escape.txt", "a/../../escape.txt", "/etc/report.txt", "C:/report.txt"])
def test_an_entry_leaving_the_folder_is_refused_naming_it(name):
    with pytest.raises(UploadError) as refused:
        read_archive("up.zip", archive({"ok.txt": REPORT, name: REPORT}), most_files=10, most_bytes=MB)
    assert name in str(refused.value) and "路径不安全" in str(refused.value)


def test_a_link_in_an_archive_is_refused_naming_it():
    with pytest.raises(UploadError, match=re.escape("up.zip/link.txt: 压缩包条目是符号链接")):
        read_archive("up.zip", archive({"ok.txt": REPORT}, links=("link.txt",)), most_files=10, most_bytes=MB)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = archive({"bomb.txt": bytes(30 * MB)})  # a few kilobytes packed
    assert len(bomb) < MB
    with pytest.raises(UploadError, match=re.escape("bomb.txt: 解压后过大")):
        read_archive("bomb.zip", bomb, most_files=10, most_bytes=100 * MB)
    loose = Limits(max_input_mb=100)
    with pytest.raises(UploadError, match="倍，疑为压缩炸弹"):
        read_archive("bomb.zip", bomb, most_files=10, most_bytes=100 * MB, limits=loose)


def test_an_entry_unpacking_to_more_than_it_declares_is_refused_naming_it():
    data = bytearray(archive({"a.txt": b"x" * 5000}))
    # Lower the declared size in the central directory (offset 24 of its header): the stream is longer.
    header = data.rindex(b"PK\x01\x02")
    data[header + 24 : header + 28] = (100).to_bytes(4, "little")
    with pytest.raises(UploadError, match=re.escape("lie.zip/a.txt: 无法解压")):
        read_archive("lie.zip", bytes(data), most_files=10, most_bytes=MB)


def test_too_many_entries_or_too_many_bytes_unpacked_are_refused():
    many = archive({f"{number}.txt": REPORT for number in range(6)})
    with pytest.raises(UploadError, match="文件过多：6 个，超过 5 个"):
        read_archive("many.zip", many, most_files=5, most_bytes=MB)
    with pytest.raises(UploadError, match="解压后总大小超过"):
        read_archive("many.zip", many, most_files=10, most_bytes=len(REPORT) * 5)


def test_too_many_drafts_in_one_upload_are_refused():
    files = [(f"{number}.txt", REPORT) for number in range(3)] + [("more.zip", archive({"x.txt": REPORT}))]
    assert len(collect(files, most_files=4, most_bytes=MB).drafts) == 4
    with pytest.raises(UploadError, match="报告稿过多：4 份，超过 3 份"):
        collect(files, most_files=3, most_bytes=MB)


def test_what_is_no_zip_is_said_so():
    with pytest.raises(UploadError, match=re.escape("bad.zip: 不是有效的 zip 压缩包")):
        collect([("bad.zip", b"not a zip")], most_files=3, most_bytes=MB)
