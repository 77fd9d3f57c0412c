"""Safe by default: no login on the loopback address without users; users and a login anywhere
else (serve refuses to start without them); CSRF on every POST; uploads within their limits."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from click.testing import CliRunner
from starlette.routing import Route
from web_helpers import client, fixture, token, upload

from compliance.cli import main
from compliance.workspace.data import records
from compliance.workspace.data.db import open_workspace
from compliance.workspace.web.auth import SECRET_FILE

PAGE = {"accept": "text/html"}


def add_user(data_dir, name="审查员", password="correct horse"):
    workspace = open_workspace(data_dir)
    with workspace.session() as session:
        records.add_user(session, name, password)
    workspace.close()


def test_on_loopback_without_users_nobody_logs_in(tmp_path):
    with client(tmp_path) as web:
        assert web.get("/", headers=PAGE).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_on_another_address_every_page_asks_for_a_login(tmp_path, host):
    add_user(tmp_path)
    with client(tmp_path, host=host) as web:
        asked = web.get("/submissions?status=x", headers=PAGE)
        assert asked.status_code == 303 and asked.headers["location"] == "/login?next=/submissions%3Fstatus%3Dx"
        assert web.get("/batches/x.json").status_code == 401
        assert web.get("/versions/1/report.json").status_code == 401
        login = web.get("/login").text
        assert 'name="password"' in login
        wrong = {"csrf_token": token(web, "/login"), "name": "审查员", "password": "wrong", "next": "/"}
        assert web.post("/login", data=wrong).status_code == 401
        right = wrong | {"password": "correct horse", "next": "/submissions"}
        logged = web.post("/login", data=right)
        assert logged.status_code == 303 and logged.headers["location"] == "/submissions"
        assert web.get("/", headers=PAGE).status_code == 200
        out = web.post("/logout", data={"csrf_token": token(web, "/")})
        assert out.status_code == 303
        assert web.get("/", headers=PAGE).status_code == 303


def test_on_loopback_once_users_exist_they_log_in(tmp_path):
    add_user(tmp_path)
    with client(tmp_path) as web:
        assert web.get("/", headers=PAGE).status_code == 303


def test_after_login_only_this_sites_pages_are_gone_to(tmp_path):
    add_user(tmp_path)
    with client(tmp_path) as web:
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            values = {"csrf_token": token(web, "/login"), "name": "审查员", "password": "correct horse"}
            assert web.post("/login", data=values | {"next": target}).headers["location"] == "/"


def test_every_post_without_its_token_is_refused(tmp_path):
    with client(tmp_path) as web:
        web.get("/")  # a session
        posts = [r for r in web.app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
        assert {r.path for r in posts} >= {"/upload", "/login", "/logout", "/submissions/{submission:int}/notice"}
        for route in posts:
            path = route.path.replace("{submission:int}", "1")
            for sent in ({}, {"csrf_token": "forged"}):
                refused = web.post(path, data=sent, files=[("files", fixture("report_2019.txt"))])
                assert refused.status_code == 403, path
                assert "请求被拒绝" in refused.text
        assert web.get("/submissions").text.count("<tr>") <= 2  # nothing was uploaded


def test_a_token_from_another_session_is_refused(tmp_path):
    with client(tmp_path) as first, client(tmp_path) as second:
        stolen = token(first)
        second.get("/")
        refused = second.post("/upload", data={"csrf_token": stolen}, files=[("files", fixture("report_2019.txt"))])
        assert refused.status_code == 403


def test_the_session_secret_is_made_once_and_readable_by_its_owner_only(tmp_path):
    with client(tmp_path):
        pass
    secret = tmp_path / SECRET_FILE
    made = secret.read_text()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(made) >= 40
    with client(tmp_path):
        pass
    assert secret.read_text() == made


def test_an_upload_beyond_its_limits_is_refused_with_a_reason(tmp_path):
    with client(tmp_path, max_upload_mb=0.05, max_files=2) as web:
        large = upload(web, [("big.txt", b"x" * 60_000)])
        assert large.status_code == 413 and "上传过大：超过 0.05 MB" in large.text
        many = upload(web, [fixture("report_2019.txt")] * 3)
        assert many.status_code == 400 and "超过 2 个" in many.text
        more = upload(web, [fixture("report_2019.txt")] * 9)
        assert more.status_code == 400 and "每次至多 2 个" in more.text
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as archive:
            archive.writestr("县/report.txt", "报告")
            archive.writestr("../../etc/cron.d/evil.txt", "x")
        traversal = upload(web, [("县.zip", packed.getvalue())])
        assert traversal.status_code == 400
        assert "县.zip/../../etc/cron.d/evil.txt: 压缩包条目的路径不安全" in traversal.text
        nothing = upload(web, [("notes.xlsx", b"x")])
        assert nothing.status_code == 400 and "没有可检查的报告稿" in nothing.text


def test_serve_refuses_another_address_without_users_and_says_how_to_add_one(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "compliance users add" in result.output and "0.0.0.0" in result.output


def test_users_are_added_listed_and_removed(tmp_path):
    runner, data = CliRunner(), ["--data", str(tmp_path)]
    added = runner.invoke(main, ["users", "add", "王审查", *data], input="s3cret pass\ns3cret pass\n")
    assert added.exit_code == 0, added.output
    assert "s3cret" not in added.output
    mismatch = runner.invoke(main, ["users", "add", "李", *data], input="one\ntwo\none\none\n")
    assert mismatch.exit_code == 0
    assert runner.invoke(main, ["users", "list", *data]).output.split() == ["李", "王审查"]
    taken = runner.invoke(main, ["users", "add", "王审查", *data], input="x\nx\n")
    assert taken.exit_code == 2 and "已存在" in taken.output
    assert runner.invoke(main, ["users", "remove", "李", *data]).exit_code == 0
    gone = runner.invoke(main, ["users", "remove", "李", *data])
    assert gone.exit_code == 2 and "没有名为 李 的用户" in gone.output
    assert runner.invoke(main, ["users", "list", *data]).output.split() == ["王审查"]


def test_a_removed_user_is_logged_out(tmp_path):
    add_user(tmp_path)
    add_user(tmp_path, "另一位")
    with client(tmp_path, host="0.0.0.0") as web:
        values = {"csrf_token": token(web, "/login"), "name": "审查员", "password": "correct horse", "next": "/"}
        assert web.post("/login", data=values).status_code == 303
        assert web.get("/", headers=PAGE).status_code == 200
        assert CliRunner().invoke(main, ["users", "remove", "审查员", "--data", str(tmp_path)]).exit_code == 0
        assert web.get("/", headers=PAGE).status_code == 303


def test_the_token_may_come_in_a_header_as_scripts_send_it(tmp_path):
    with client(tmp_path) as web:
        sent = web.post("/logout", headers={"X-CSRF-Token": token(web)})
        assert sent.status_code == 303
        assert web.post("/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
