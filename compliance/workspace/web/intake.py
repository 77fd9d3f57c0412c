"""Uploading drafts and following their checks: the upload page, the upload itself (its size read
as it arrives, refused past the limit), and each batch's progress (a page, and the JSON it polls)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Message

from compliance.workspace.data.schema import Submission
from compliance.workspace.web.auth import checked_form
from compliance.workspace.web.context import jobs, query, settings, workspace
from compliance.workspace.web.recording import record
from compliance.workspace.web.rendering import page
from compliance.workspace.web.uploads import UploadError, collect


class TooLarge(Exception):
    pass


def _upload_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    limits = settings(request)
    return page(
        request,
        "upload.html.j2",
        status_code=status_code,
        error=error,
        max_files=limits.max_files,
        max_mb=limits.max_upload_mb,
    )


async def upload_page(request: Request) -> Response:
    return _upload_page(request)


async def _bounded_body(request: Request, most: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _replaying(request: Request, body: bytes) -> Request:
    """The request again, its body read from ``body`` (already read, and within the limit)."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


async def _files(form) -> AsyncIterator[tuple[str, bytes]]:
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            yield item.filename, await item.read()


async def upload(request: Request) -> Response:
    limits = settings(request)
    try:
        body = await _bounded_body(request, limits.max_upload_bytes)
    except TooLarge:
        error = f"上传过大：超过 {limits.max_upload_mb:g} MB，请分批上传"
        return _upload_page(request, error, status_code=413)
    try:
        form = await checked_form(_replaying(request, body), max_files=limits.max_files + 1, max_fields=20)
    except HTTPException:  # what the multipart parser refuses: more files than that, a broken form
        error = f"上传的表单无法读取，或文件过多（每次至多 {limits.max_files} 个）"
        return _upload_page(request, error, status_code=400)
    try:
        files = [(name, data) async for name, data in _files(form)]
        if len(files) > limits.max_files:
            raise UploadError("上传", f"文件过多：超过 {limits.max_files} 个，请分批上传")
        found = collect(files, limits.max_files, limits.max_upload_bytes)
    except UploadError as error:
        return _upload_page(request, str(error), status_code=400)
    finally:
        await form.close()
    submission = await _submission(request, str(form.get("submission") or ""))
    if not found.drafts:
        return _upload_page(request, "没有可检查的报告稿（支持 .txt、.md、.docx、.html、.pdf 及其 .zip）", 400)
    store = workspace(request).drafts
    stored = [(draft.name, await run_in_threadpool(store.put, draft.data)) for draft in found.drafts]
    finish = partial(record, workspace(request), submission)
    batch = jobs(request).submit([(name, (str(store.root), sha, name)) for name, sha in stored], finish, found.skipped)
    return RedirectResponse(f"/batches/{batch.id}", status_code=303)


async def _submission(request: Request, given: str) -> int | None:
    """The submission a corrected version is uploaded to, if the form names one (that exists)."""
    if not given:
        return None
    if not given.isdigit() or await query(request, Session.get, Submission, int(given)) is None:
        raise HTTPException(404)
    return int(given)


def _batch(request: Request):
    return jobs(request).batch(request.path_params["batch"])


async def batch_page(request: Request) -> Response:
    batch = _batch(request)
    if batch is None:
        return page(
            request,
            "error.html.j2",
            404,
            title="找不到这批上传",
            message="服务重启后，之前各批的进度不再保留；结果见报送清单。",
        )
    return page(
        request,
        "batch.html.j2",
        progress=batch.progress(),
        skipped=batch.skipped,
        progress_url=f"/batches/{batch.id}.json",
    )


async def batch_progress(request: Request) -> Response:
    batch = _batch(request)
    if batch is None:
        return JSONResponse({"error": "找不到这批上传"}, status_code=404)
    return JSONResponse(batch.progress())


ROUTES = [
    Route("/upload", upload_page, methods=["GET"]),
    Route("/upload", upload, methods=["POST"]),
    Route("/batches/{batch:str}.json", batch_progress),
    Route("/batches/{batch:str}", batch_page),
]
