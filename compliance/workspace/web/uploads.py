"""What a reviewer uploads, as drafts: files as given, and the entries of a .zip of a folder.

An archive is checked before anything is unpacked — how many entries, their declared sizes and how
much each expands (a zip bomb is refused), their names (``..``, an absolute path or a link is
refused, naming the entry) — then each entry is read (no more than it declares). Nothing is written
to disk by name: a draft is its bytes and its name, which is only ever shown (the draft store keeps
the bytes by their hash). Files in other formats, hidden files and folders are skipped, and said so."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath

from compliance.errors import InputError
from compliance.i18n import _
from compliance.load.folder import SUFFIXES
from compliance.models.config import Limits

_RATIO_FLOOR = 1 << 20  # an entry under 1 MB may compress as well as it likes


class UploadError(InputError):
    """An upload refused as a whole: names the file or archive entry and why."""


@dataclass(frozen=True)
class Draft:
    name: str  # as uploaded ("folder/report.docx"): shown, never opened
    data: bytes


@dataclass
class Upload:
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why it is not checked)


def _skip_reason(name: str) -> str | None:
    parts = PurePosixPath(name).parts
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return _("隐藏文件，未检查")
    if PurePosixPath(name).suffix.lower() not in SUFFIXES:
        return _("不是支持的报告格式，未检查")
    return None


def _unsafe_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def _is_link(entry: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(entry.external_attr >> 16)


def _entries(archive_name: str, data: bytes, most_files: int, most_bytes: int, limits: Limits) -> list[zipfile.ZipInfo]:
    """The archive's file entries, every one checked before any is read."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise UploadError(archive_name, _("不是有效的 zip 压缩包")) from None
    entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    if len(entries) > most_files:
        reason = _("压缩包中的文件过多：{count} 个，超过 {most} 个").format(count=len(entries), most=most_files)
        raise UploadError(archive_name, reason)
    for entry in entries:
        where = f"{archive_name}/{entry.filename}"
        if _unsafe_name(entry.filename):
            raise UploadError(where, _("压缩包条目的路径不安全（绝对路径或含 ..），整个压缩包未接收"))
        if _is_link(entry):
            raise UploadError(where, _("压缩包条目是符号链接，整个压缩包未接收"))
        if entry.file_size > limits.max_input_bytes:
            raise UploadError(where, _("解压后过大，超过 {most:g} MB").format(most=limits.max_input_mb))
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
            raise UploadError(where, _("解压后是压缩大小的 {ratio:,.0f} 倍，疑为压缩炸弹").format(ratio=ratio))
    if sum(entry.file_size for entry in entries) > most_bytes:
        raise UploadError(archive_name, _("解压后总大小超过 {most:g} MB").format(most=most_bytes / 1024 / 1024))
    return entries


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, where: str) -> bytes:
    """The entry's bytes: zipfile reads no more than the entry declares, and checks their CRC."""
    try:
        return archive.read(entry)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise UploadError(where, _("无法解压（{error}）").format(error=error)) from None


def read_archive(name: str, data: bytes, most_files: int, most_bytes: int, limits: Limits | None = None) -> Upload:
    """The drafts in a .zip: ``most_files`` entries and ``most_bytes`` unpacked at most."""
    limits = limits or Limits()
    entries = _entries(name, data, most_files, most_bytes, limits)
    upload = Upload()
    archive = zipfile.ZipFile(BytesIO(data))
    for entry in entries:
        where = f"{name}/{entry.filename}"
        reason = _skip_reason(entry.filename)
        if reason:
            upload.skipped.append((where, reason))
        else:
            upload.drafts.append(Draft(where, _read(archive, entry, where)))
    return upload


def collect(files: list[tuple[str, bytes]], most_files: int, most_bytes: int) -> Upload:
    """The drafts among uploaded files (``(name, bytes)``), archives opened: ``UploadError`` when
    there are more than ``most_files`` drafts, or an archive is refused."""
    upload = Upload()
    for name, data in files:
        if PurePosixPath(name).suffix.lower() == ".zip":
            inner = read_archive(name, data, most_files, most_bytes)
            upload.drafts += inner.drafts
            upload.skipped += inner.skipped
        elif reason := _skip_reason(name):
            upload.skipped.append((name, reason))
        else:
            upload.drafts.append(Draft(name, data))
    if len(upload.drafts) > most_files:
        reason = _("一次上传的报告稿过多：{count} 份，超过 {most} 份").format(count=len(upload.drafts), most=most_files)
        raise UploadError(_("上传"), reason)
    return upload
