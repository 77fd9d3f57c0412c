"""Recording versions from real drafts, notices and statuses through time, versions compared, the
rows and dashboard the pages show, and users — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CORPUS, FIXTURES, ROOT, seed_path, shared_file

from compliance.workspace.data import records
from compliance.workspace.data.checking import check_draft
from compliance.workspace.data.schema import Issuer, Submission

SAMPLES = ROOT / "samples"
JAN = dt.datetime(2025, 1, 10, 9)


def _record(workspace, path, uploaded_at=JAN, **where):
    data = path.read_bytes()
    sha = workspace.drafts.put(data)
    with workspace.session() as session:
        version = records.record_version(session, path.name, sha, check_draft(data, path.name), uploaded_at, **where)
        return version.submission_id, version.id, version.number


def test_one_issuer_under_the_names_of_two_years(workspace):
    for path in (shared_file(CORPUS / "huaian-hongze-2023.txt"), SAMPLES / "hongze-2024.txt", seed_path("000")):
        _record(workspace, path)
    with workspace.session() as session:
        hongze = session.query(Issuer).filter(Issuer.name.like("%洪泽区%")).one()
        assert hongze.name == "淮安市洪泽区人民政府"  # the fullest name seen
        assert [s.year for s in hongze.submissions] == [2023, 2024]
        assert session.query(Issuer).count() == 2


def test_versions_are_numbered_and_the_same_bytes_are_not_a_new_one(workspace):
    broken = _record(workspace, FIXTURES / "report_2021_broken.txt")
    assert _record(workspace, FIXTURES / "report_2021_broken.txt", JAN + dt.timedelta(days=1)) == broken
    fixed = _record(workspace, FIXTURES / "report_2021.txt", JAN + dt.timedelta(days=2))
    assert fixed[0] == broken[0] and (broken[2], fixed[2]) == (1, 2)
    with workspace.session() as session:
        submission = session.get(Submission, fixed[0])
        assert [v.grade for v in submission.versions] == ["不合格", "合格"]
        assert submission.versions[1].report["document"]["issuer"] == "苏州市自然资源和规划局"
        assert len(submission.versions[1].cells) == 200


def test_a_version_recorded_meanwhile_by_another_server_is_numbered_before_ours(workspace):
    _record(workspace, FIXTURES / "report_2021_broken.txt")
    with workspace.session() as stale:
        (submission,) = stale.query(Submission).all()
        assert len(submission.versions) == 1  # what this server knows
        _record(workspace, FIXTURES / "report_2021.txt")  # another session commits version 2
        data = (SAMPLES / "draft-2021.txt").read_bytes()
        version = records.record_version(stale, "draft-2021.txt", "0" * 64, check_draft(data, "draft-2021.txt"))
        assert version.number == 3 and version.submission_id == submission.id
    with workspace.session() as session:
        assert [v.number for v in session.get(Submission, submission.id).versions] == [1, 2, 3]


def test_a_draft_that_cannot_be_checked_is_listed_with_its_error(workspace, tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    submission_id, _, _ = _record(workspace, tmp_path / "broken.docx")
    with workspace.session() as session:
        (row,) = records.submission_rows(session, dt.date(2025, 1, 10))
        assert (row.issuer, row.year, row.grade, row.status) == ("未识别", None, "无法检查", "待审查")
        assert row.submission_id == submission_id and "docx" in row.error
    # A corrected draft is added to that submission by its id.
    assert _record(workspace, FIXTURES / "report_2021.txt", submission_id=submission_id)[0] == submission_id


def _notice(workspace, submission_id, deadline=dt.date(2025, 2, 1), issued_at=JAN + dt.timedelta(hours=1)):
    with workspace.session() as session:
        records.issue_notice(
            session,
            submission_id,
            "苏政公开〔2025〕3号",
            dt.date(2025, 1, 10),
            deadline,
            "苏州市政务公开办公室",
            "苏州市自然资源和规划局",
            issued_at=issued_at,
        )


def _status(workspace, submission_id, today):
    with workspace.session() as session:
        return records.status(session.get(Submission, submission_id), today)


def test_statuses_through_time(workspace):
    submission_id, _, _ = _record(workspace, FIXTURES / "report_2021_broken.txt")
    assert _status(workspace, submission_id, dt.date(2025, 1, 10)) == "待审查"
    _notice(workspace, submission_id)
    assert _status(workspace, submission_id, dt.date(2025, 1, 20)) == "已通知整改"
    assert _status(workspace, submission_id, dt.date(2025, 2, 1)) == "已通知整改"  # the deadline day itself
    assert _status(workspace, submission_id, dt.date(2025, 2, 2)) == "逾期未改"
    # A version still with critical and major findings (a residue fixed only) does not correct it.
    still = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8").replace("打印本页", "")
    (workspace.drafts.root.parent / "still.txt").write_text(still, encoding="utf-8")
    _record(workspace, workspace.drafts.root.parent / "still.txt", JAN + dt.timedelta(days=5))
    assert _status(workspace, submission_id, dt.date(2025, 2, 2)) == "逾期未改"
    _record(workspace, FIXTURES / "report_2021.txt", JAN + dt.timedelta(days=30))
    assert _status(workspace, submission_id, dt.date(2025, 2, 20)) == "已整改"
    with workspace.session() as session:
        dashboard = records.dashboard(session, dt.date(2025, 2, 20))
        assert dashboard.by_status == {"待审查": 0, "已通知整改": 0, "已整改": 1, "逾期未改": 0}


def test_a_version_uploaded_before_the_notice_does_not_correct_it(workspace):
    submission_id, _, _ = _record(workspace, FIXTURES / "report_2021.txt")
    _notice(workspace, submission_id)
    assert _status(workspace, submission_id, dt.date(2025, 1, 11)) == "已通知整改"


def test_fixed_remaining_and_new_findings(workspace):
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    # The placeholder fixed, a line added above everything (offsets move), the residue kept.
    corrected = text.replace("XX", "苏州").replace("\n", "\n\n", 1)
    (workspace.drafts.root.parent / "v2.txt").write_text(corrected, encoding="utf-8")
    _record(workspace, FIXTURES / "report_2021_broken.txt")
    _record(workspace, workspace.drafts.root.parent / "v2.txt", JAN + dt.timedelta(days=1))
    with workspace.session() as session:
        first, second = session.query(Submission).one().versions
        changes = records.version_changes(first, second)
    assert [f["rule"] for f in changes.fixed] == ["STYLE-PLACEHOLDER"]
    assert "STYLE-RESIDUE" in [f["rule"] for f in changes.remaining] and changes.new == []
    assert len(changes.remaining) == len(first.findings) - 1


def test_a_corrected_draft_fixes_every_finding(workspace):
    _record(workspace, FIXTURES / "report_2021_broken.txt")
    _record(workspace, FIXTURES / "report_2021.txt", JAN + dt.timedelta(days=1))
    with workspace.session() as session:
        first, second = session.query(Submission).one().versions
        changes = records.version_changes(first, second)
    assert len(changes.fixed) == len(first.findings) == 6 and changes.remaining == changes.new == []


def test_rows_filtered_and_the_dashboard(workspace):
    for path in (SAMPLES / "hongze-2023.txt", FIXTURES / "report_2019.txt", SAMPLES / "hongze-2024.txt"):
        _record(workspace, path)
    broken_id = _record(workspace, FIXTURES / "report_2021_broken.txt")[0]
    _notice(workspace, broken_id, deadline=dt.date(2025, 1, 15))
    today = dt.date(2025, 1, 20)
    with workspace.session() as session:
        assert [r.issuer for r in records.submission_rows(session, today, grade="合格")] == ["昆山市人民政府"]
        assert [r.year for r in records.submission_rows(session, today, rule="STYLE-PLACEHOLDER")] == [2021]
        (overdue,) = records.submission_rows(session, today, status="逾期未改")
        assert (overdue.notice, overdue.deadline) == ("苏政公开〔2025〕3号", dt.date(2025, 1, 15))
        hongze = records.submission_rows(session, today, rule="GOV-ASSESSMENT")
        assert [r.year for r in hongze] == [2023, 2024] and hongze[0].issuer == "淮安市洪泽区人民政府"
        assert records.submission_rows(session, today, issuer=hongze[0].issuer_id) == hongze
        dashboard = records.dashboard(session, today)
    assert dashboard.total == 4
    assert dashboard.by_status == {"待审查": 3, "已通知整改": 0, "已整改": 0, "逾期未改": 1}
    assert dashboard.by_grade == {"不合格": 3, "合格": 1}
    assert [row.submission_id for row in dashboard.overdue] == [broken_id]
    assert dashboard.top_rules[:2] == [("GOV-ASSESSMENT", 2), ("STRUCT-TABLE-LABELS", 2)]


def test_notice_defaults_are_remembered(workspace):
    submission_id, _, _ = _record(workspace, FIXTURES / "report_2021.txt")
    with workspace.session() as session:
        assert records.notice_defaults(session) == records.NoticeDefaults()
    _notice(workspace, submission_id, deadline=dt.date(2025, 1, 31))
    with workspace.session() as session:
        defaults = records.notice_defaults(session)
    assert (defaults.number, defaults.from_organ, defaults.deadline_days) == (
        "苏政公开〔2025〕3号",
        "苏州市政务公开办公室",
        21,
    )


def test_users(workspace):
    with workspace.session() as session:
        assert not records.has_users(session)
        records.add_user(session, "审查员", "正确的密码")
        with pytest.raises(ValueError, match="已存在"):
            records.add_user(session, "审查员", "另一个")
    with workspace.session() as session:
        assert records.has_users(session)
        assert records.verify_user(session, "审查员", "正确的密码").name == "审查员"
        assert records.verify_user(session, "审查员", "错误的密码") is None
        assert records.verify_user(session, "无此人", "正确的密码") is None
        assert "正确的密码" not in session.query(records.User).one().password_hash
