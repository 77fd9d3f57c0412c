"""The worker pool: a draft that fails or runs too long records its error, and the others go on."""

from __future__ import annotations

import operator
import os
import time

from compliance.load import load_bytes
from compliance.workspace.web.jobs import Jobs


def finished(jobs: Jobs, batch_id: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = jobs.batch(batch_id).progress()
        if progress["finished"] == progress["total"]:
            return progress
        time.sleep(0.05)
    raise AssertionError("the batch did not finish")


def test_failures_and_time_outs_are_each_drafts_error_and_the_rest_is_checked():
    recorded = {}

    def finish(args, result, error):
        recorded[args[1]] = (result, error)
        return f"/result/{args[1]}", "too short" if result == 1 else None

    jobs = Jobs(workers=2, seconds=1.0, task=operator.call)
    try:
        batch = jobs.submit(
            [
                ("slow.txt", (time.sleep, 30)),
                ("broken.txt", (int, "not a number")),
                ("empty.txt", (load_bytes, b"", "empty.txt")),
                ("fine.txt", (len, "fine")),
                ("short.txt", (len, "s")),
            ],
            finish,
        )
        started = time.monotonic()
        progress = finished(jobs, batch.id)
        assert time.monotonic() - started < 20
    finally:
        jobs.close()
    states = {item["name"]: (item["state"], item["error"], item["link"]) for item in progress["items"]}
    assert states["slow.txt"] == ("failed", "检查超过 1 秒，已停止", "/result/30")
    assert states["broken.txt"][0] == "failed" and "ValueError" in states["broken.txt"][1]
    assert states["empty.txt"] == ("failed", "empty.txt: 文件为空", "/result/b''")
    assert states["fine.txt"] == ("done", None, "/result/fine")
    assert states["short.txt"] == ("failed", "too short", "/result/s")  # checked, and said why not
    assert recorded["fine"] == (4, None) and progress["failed"] == 4


def test_a_result_that_cannot_be_recorded_is_that_drafts_error():
    def finish(args, result, error):
        raise RuntimeError("disk full")

    jobs = Jobs(workers=1, seconds=10, task=operator.call)
    try:
        progress = finished(jobs, jobs.submit([("a.txt", (len, "a"))], finish).id)
    finally:
        jobs.close()
    assert progress["items"][0]["state"] == "failed"
    assert progress["items"][0]["error"] == "无法保存检查结果（RuntimeError）"


def test_a_worker_that_dies_fails_its_draft_and_a_new_pool_checks_the_next():
    def finish(args, result, error):
        return "/", None

    jobs = Jobs(workers=1, seconds=10, task=operator.call)
    try:
        died = finished(jobs, jobs.submit([("crash.txt", (os._exit, 1))], finish).id)
        assert died["items"][0]["state"] == "failed" and died["items"][0]["error"] == "检查进程意外退出"
        after = finished(jobs, jobs.submit([("next.txt", (len, "next"))], finish).id)
        assert after["items"][0]["state"] == "done"
    finally:
        jobs.close()
