"""The whole flow in Debian's Chromium, as a reviewer goes through it, on SQLite and on PostgreSQL:
upload a folder of drafts → the dashboard → a report → a correction notice → the corrected version
→ status 已整改 with the fixed findings listed. The server is uvicorn on a free loopback port."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, NEEDS_CHROMIUM, SEEDS
from web_helpers import serving

from compliance.workspace.web.settings import ServeSettings

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def folder(tmp_path):
    """A folder as an office receives it: the fixtures (the corrected 2021 report kept back) and the seeds."""
    drafts = tmp_path / "收到的年报"
    (drafts / "seeds").mkdir(parents=True)
    for path in FIXTURES.glob("report_*.txt"):
        if path.name != "report_2021.txt":
            shutil.copy(path, drafts)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, drafts / "seeds")
    if not any((drafts / "seeds").iterdir()):
        pytest.skip("the seeds are not here (the shared/ folder sits beside the repository)")
    return drafts


def test_a_reviewer_follows_a_draft_to_its_correction(browser, folder, tmp_path, database_url):
    settings = ServeSettings(data_dir=tmp_path / "data", db_url=database_url, workers=2)
    with serving(settings) as address:
        page = browser.new_page()
        page.goto(f"{address}/upload")
        page.set_input_files("#folder", folder)
        page.click("#upload button[type=submit]")
        page.wait_for_url("**/batches/*")
        total = len(list(folder.rglob("*.txt")))
        page.wait_for_function(f"document.getElementById('finished').textContent === '{total}'", timeout=120_000)
        assert page.locator("#items tbody tr").count() == total
        assert page.locator("#items tr[data-state=failed]").count() == 2  # the two seeds that are 工作要点

        page.click("text=总览")
        assert page.locator("#total").text_content() == str(total)  # each listed, those not checked too
        page.click("#by-status a:has-text('待审查')")
        page.wait_for_url("**/submissions?status=*")
        page.click("text=苏州市自然资源和规划局")
        page.click("tr:has-text('2021') >> text=2021")
        assert page.locator("#status").text_content() == "待审查"
        submission = page.url

        page.click("text=查看报告")
        assert page.locator("li.finding").count() >= 5
        page.go_back()

        page.click("#issue-notice")
        page.fill("input[name=number]", "苏政公开〔2022〕3号")
        page.fill("input[name=from_organ]", "苏州市政务公开办公室")
        page.fill("input[name=deadline]", "2099-03-01")
        page.click("#notice button[type=submit]")
        page.wait_for_url(submission)
        assert page.locator("#status").text_content() == "已通知整改"
        assert page.locator("text=苏政公开〔2022〕3号").count() == 1

        page.set_input_files("#upload-version input[type=file]", FIXTURES / "report_2021.txt")
        page.click("#upload-version button[type=submit]")
        page.wait_for_url("**/batches/*")
        page.wait_for_selector("#items tr[data-state=done] a", timeout=120_000)
        page.click("#items a")
        assert page.locator("#status").text_content() == "已整改"
        fixed = page.locator("#fixed-2").text_content()
        assert "STRUCT-PART-ORDER" in fixed and "STYLE-RESIDUE" in fixed
        assert page.evaluate("window.injected") is None


def test_drafts_dropped_on_the_page_are_uploaded_and_checked(browser, tmp_path):
    draft = (FIXTURES / "report_2019.txt").read_text(encoding="utf-8")
    with serving(ServeSettings(data_dir=tmp_path, workers=1)) as address:
        page = browser.new_page()
        page.goto(f"{address}/upload")
        dropped = page.evaluate_handle(
            """(text) => {
              const transfer = new DataTransfer();
              transfer.items.add(new File([text], "昆山.txt", { type: "text/plain" }));
              return transfer;
            }""",
            draft,
        )
        page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
        page.wait_for_url("**/batches/*")
        page.wait_for_selector("#items tr[data-state=done] a", timeout=120_000)
        assert page.locator("#items a").text_content() == "昆山.txt"
