"""The review workspace under load on the loopback address: 200 uploads from 10 concurrent
clients (each a draft of its own issuer), every check recorded — no error, no submission lost —
and the 95th percentile of the page times printed (the README quotes it). Bounded: it gives up
after ``LIMIT`` seconds."""

from __future__ import annotations

import concurrent.futures
import re
import statistics
import sys
import time
from pathlib import Path

import httpx

from compliance.workspace.web.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "workspace"))
from web_helpers import TOKEN, serving  # noqa: E402

UPLOADS, CLIENTS = 200, 10
LIMIT = 600  # seconds: the whole test at most
DRAFT = (ROOT / "tests" / "fixtures" / "report_2021_broken.txt").read_text(encoding="utf-8")


def _client(address: str, numbers: range, deadline: float) -> tuple[list[float], list[str]]:
    """One reviewer uploading its drafts one after the other and reading the dashboard between
    them: each page's time, and the batches it started."""
    times, batches = [], []
    with httpx.Client(base_url=address, timeout=60) as web:
        token = TOKEN.search(web.get("/upload").text).group(1)
        for number in numbers:
            assert time.monotonic() < deadline, "the load test ran out of time"
            draft = DRAFT.replace("苏州市自然资源和规划局", f"苏州市第{number}局").encode()
            started = time.monotonic()
            sent = web.post("/upload", data={"csrf_token": token}, files=[("files", (f"{number}.txt", draft))])
            times.append(time.monotonic() - started)
            assert sent.status_code == 303, sent.text[:300]
            batches.append(sent.headers["location"])
            started = time.monotonic()
            assert web.get("/").status_code == 200
            times.append(time.monotonic() - started)
    return times, batches


def _progress(address: str, batches: list[str], deadline: float) -> list[dict]:
    with httpx.Client(base_url=address, timeout=60) as web:
        while True:
            found = [web.get(f"{batch}.json").json() for batch in batches]
            if all(p["finished"] == p["total"] for p in found) or time.monotonic() > deadline:
                return found
            time.sleep(1)


def test_two_hundred_uploads_from_ten_clients(tmp_path):
    deadline = time.monotonic() + LIMIT
    settings = ServeSettings(data_dir=tmp_path, workers=2)
    with serving(settings) as address:
        shares = [range(first, UPLOADS, CLIENTS) for first in range(CLIENTS)]
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(lambda numbers: _client(address, numbers, deadline), shares))
        times = [t for client_times, _ in results for t in client_times]
        batches = [b for _, client_batches in results for b in client_batches]
        progress = _progress(address, batches, deadline)
        listed = httpx.get(f"{address}/submissions.csv", timeout=60).content.decode("utf-8-sig")
    items = [item for batch in progress for item in batch["items"]]
    assert len(items) == UPLOADS and all(item["state"] == "done" for item in items), "a check did not finish"
    issuers = set(re.findall(r"苏州市第(\d+)局", listed))
    assert issuers == {str(n) for n in range(UPLOADS)}, "a submission was lost"
    p95 = statistics.quantiles(times, n=20)[-1]
    median = statistics.median(times)
    print(f"\n{UPLOADS} uploads, {CLIENTS} clients: page time p95 {p95 * 1000:.0f} ms, median {median * 1000:.0f} ms")
