"""The workspace's pages through Starlette's test client: a draft uploaded, checked in the pool,
read, notified and corrected; its downloads; the server going on after a draft that fails."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from drafts import INJECTED, with_script
from web_helpers import checked, client, finished, fixture, token, upload


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with client(tmp_path_factory.mktemp("workspace")) as web:
        yield web


@pytest.fixture(scope="module")
def broken(web):
    """The broken 2021 report, checked: the link to its submission."""
    progress = checked(web, [fixture("report_2021_broken.txt")])
    (item,) = progress["items"]
    assert item["state"] == "done", item
    return item["link"].split("#")[0]


def test_a_checked_draft_is_listed_with_its_status_and_grade(web, broken):
    page = web.get(broken).text
    assert "苏州市自然资源和规划局" in page and 'id="status">待审查' in page
    assert "第 1 版：report_2021_broken.txt" in page and "等级 不合格" in page
    listed = web.get("/submissions", params={"status": "待审查"}).text
    assert "苏州市自然资源和规划局" in listed
    assert "苏州市自然资源和规划局" not in web.get("/submissions", params={"status": "已整改"}).text
    dashboard = web.get("/").text
    assert "/submissions?status=%E5%BE%85%E5%AE%A1%E6%9F%A5" in dashboard  # the bar links to its list
    assert "/submissions?grade=%E4%B8%8D%E5%90%88%E6%A0%BC" in dashboard
    assert "/submissions?rule=STRUCT-PART-ORDER" in dashboard and "部分顺序" in dashboard  # the rule's title


def version_of(web, submission: str) -> str:
    return re.search(r'href="(/versions/\d+)"', web.get(submission).text).group(1)


def test_a_version_opens_as_the_annotated_report_and_downloads(web, broken):
    version = version_of(web, broken)
    report = web.get(version)
    assert report.status_code == 200 and 'class="finding' in report.text and "STRUCT-PART-ORDER" in report.text
    exported = web.get(f"{version}/report.json")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert {f["rule"] for f in json.loads(exported.content)["findings"]} >= {"STRUCT-PART-ORDER"}
    review = web.get(f"{version}/review.docx")
    assert review.status_code == 200 and zipfile.is_zipfile(io.BytesIO(review.content))
    fixed = web.get(f"{version}/fixed")
    assert fixed.status_code == 200 and "打印本页" not in fixed.content.decode("utf-8")
    assert "%E4%BF%AE%E6%AD%A3%E7%A8%BF.txt" in fixed.headers["content-disposition"]  # 修正稿.txt


def test_a_notice_is_issued_remembered_and_the_corrected_version_closes_it(web, broken):
    form = web.get(f"{broken}/notice").text
    assert 'value="苏州市自然资源和规划局"' in form  # 主送机关: the issuer
    values = {
        "csrf_token": token(web, f"{broken}/notice"),
        "number": "苏政公开〔2022〕3号",
        "date": "2022-02-01",
        "deadline": "2099-03-01",
        "from_organ": "苏州市政务公开办公室",
        "to_organ": "苏州市自然资源和规划局",
        "min_severity": "major",
    }
    issued = web.post(f"{broken}/notice", data=values)
    assert issued.status_code == 303
    page = web.get(broken).text
    assert 'id="status">已通知整改' in page and "苏政公开〔2022〕3号" in page
    notice = re.search(r'href="(/notices/\d+\.docx)"', page).group(1)
    assert zipfile.is_zipfile(io.BytesIO(web.get(notice).content))
    again = web.get(f"{broken}/notice").text  # the office's values, remembered
    assert 'value="苏政公开〔2022〕3号"' in again and 'value="苏州市政务公开办公室"' in again

    progress = checked(web, [fixture("report_2021.txt")])
    assert progress["items"][0]["link"].startswith(broken + "#v2")
    page = web.get(broken).text
    assert 'id="status">已整改' in page
    fixed = re.search(r'<ul class="findings" id="fixed-2">(.*?)</ul>', page, re.S).group(1)
    assert "STRUCT-PART-ORDER" in fixed and "STYLE-RESIDUE" in fixed
    assert "已整改" in web.get("/submissions", params={"status": "已整改"}).text


def test_a_notice_with_a_deadline_before_its_date_is_refused_on_the_form(web, broken):
    values = {"csrf_token": token(web), "number": "", "date": "2022-02-01", "deadline": "2022-01-01"}
    values |= {"from_organ": "办", "to_organ": "局", "min_severity": "major"}
    refused = web.post(f"{broken}/notice", data=values)
    assert refused.status_code == 400 and 'id="notice-error"' in refused.text


def test_draft_text_is_shown_as_text_on_every_page(web):
    batch = upload(web, [(f"{INJECTED}.txt", with_script().encode())]).headers["location"]
    submission = finished(web, batch)["items"][0]["link"].split("#")[0]
    issuer = re.search(r'href="(/issuers/\d+)"', web.get(submission).text).group(1)
    pages = [web.get(path).text for path in (batch, submission, "/submissions", issuer, "/statistics", "/")]
    pages.append(web.get(version_of(web, submission)).text)
    assert all("&lt;script&gt;window.injected" in text for text in pages[:4])  # its file name, its findings
    assert not any(INJECTED in text for text in pages)


def test_a_draft_that_cannot_be_checked_shows_its_error_and_the_server_goes_on(web):
    progress = checked(web, [("scan.pdf", b"%PDF-1.4 not really"), ("empty.txt", b" \n"), fixture("report_2019.txt")])
    states = {item["name"]: item for item in progress["items"]}
    assert states["report_2019.txt"]["state"] == "done"
    assert states["empty.txt"]["state"] == "failed" and states["empty.txt"]["error"] == "文件为空"
    failed = web.get(states["empty.txt"]["link"].split("#")[0]).text
    assert "未能检查：文件为空" in failed
    assert states["scan.pdf"]["state"] == "failed" and "未能检查" in web.get(states["scan.pdf"]["link"]).text
    assert web.get("/submissions", params={"grade": "无法检查"}).status_code == 200
    assert "昆山市人民政府" in web.get("/").text or "昆山市人民政府" in web.get("/submissions").text


def test_a_corrected_version_can_be_uploaded_to_its_submission(web, broken):
    progress = checked(web, [("整改稿.txt", (fixture("report_2021.txt")[1] + "\n附：已整改。\n".encode()))])
    assert progress["items"][0]["link"].startswith(broken)
    other = checked(web, [fixture("report_2019.txt")], submission=broken.rsplit("/", 1)[1])
    assert other["items"][0]["link"].startswith(broken)


def test_unknown_pages_say_so_in_chinese(web):
    for path in ("/submissions/999999", "/versions/999999", "/issuers/999999", "/batches/nope", "/nowhere"):
        response = web.get(path)
        assert response.status_code == 404 and "找不到" in response.text


def test_the_list_and_the_statistics_export_as_csv_and_excel(web, broken):
    from openpyxl import load_workbook

    listed = web.get("/submissions.csv")
    assert listed.headers["content-type"].startswith("text/csv")
    assert "苏州市自然资源和规划局" in listed.content.decode("utf-8-sig")
    overdue = web.get("/submissions.csv", params={"status": "逾期未改"}).content.decode("utf-8-sig")
    assert len(overdue.splitlines()) == 1  # the header: the filter applies to the export
    everything = web.get("/submissions.xlsx").content
    sheet = load_workbook(io.BytesIO(everything)).active
    assert any("苏州市自然资源和规划局" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    page = web.get("/statistics").text
    assert 'id="totals"' in page and "收到申请" in page and ".0000" not in page
    totals = web.get("/statistics/totals.csv").content.decode("utf-8-sig").splitlines()
    assert totals[0].startswith("年度,报告数,收到申请") and totals[-1].startswith("全部,")
    assert web.get("/statistics/nothing.csv").status_code == 404
    assert load_workbook(io.BytesIO(web.get("/statistics.xlsx").content)).sheetnames == [
        "汇总",
        "同级比较",
        "年度变化",
        "各机关数据",
    ]


def test_a_request_the_app_cannot_handle_is_said_in_chinese(web):
    refused = web.put("/submissions")
    assert refused.status_code == 405 and "无法处理这个请求（HTTP 405）" in refused.text
