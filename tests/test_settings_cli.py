"""`minsheng settings` and `mail --from` (issue 18, item 4): every setting the window keeps is scriptable, the
window reads what the command line set, and a missing sender names the option that gives one."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services.outbox import load_smtp_settings
from minsheng_desktop.services.reports import projects_of, save_report
from minsheng_desktop.services.settings import SETTING_KEYS, load_mail_settings

from .conftest import FIXTURES


@pytest.fixture
def listed(tmp_path: Path, capsys) -> Path:
    db = tmp_path / "m.db"
    assert main(["--db", str(db), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    capsys.readouterr()
    with open_database(db) as d:
        p = next(p for p in projects_of(d, select_list(d).id) if p.is_leaf)
        save_report(d, Report(p.id, "2023-05", "on_track", 40, 10, "正常推进", None, "继续施工"))
    return db


def run(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "settings", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fresh_database_lists_every_key_unset(tmp_path, capsys) -> None:
    code, out, _ = run(tmp_path / "new.db", capsys)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(SETTING_KEYS)
    assert all("（未设置）" in line for line in lines)


def test_what_the_command_line_sets_the_window_reads(tmp_path, capsys) -> None:
    db = tmp_path / "m.db"
    for key, value in [("unit", "区教委"), ("reporter_name", "张三"), ("reporter_phone", "023-77721234"),
                       ("from", "jw@wl.example.gov.cn"), ("recipient", "fgw@wl.example.gov.cn"),
                       ("smtp", "smtp.qq.com:587"), ("smtp_security", "starttls"), ("smtp_user", "jw@qq.com"),
                       ("imap", "imap.qq.com:993"), ("imap_security", "ssl"), ("letter_kind", "报告")]:
        code, out, err = run(db, capsys, key, value)
        assert code == 0, err
        assert out.startswith(f"已设置 {key}") and value in out
        assert run(db, capsys, key)[1] == value + "\n"  # the bare value, for scripts
    with open_database(db) as d:
        mail = load_mail_settings(d)
        smtp = load_smtp_settings(d)
    assert (mail.reporter_unit, mail.reporter_name, mail.reporter_phone) == ("区教委", "张三", "023-77721234")
    assert (mail.from_addr, mail.mail_to, mail.user, mail.letter_kind) == (
        "jw@wl.example.gov.cn", "fgw@wl.example.gov.cn", "jw@qq.com", "报告")
    assert smtp is not None and (smtp.host, smtp.port, smtp.security, smtp.user) == ("smtp.qq.com", 587, "starttls",
                                                                                    "jw@qq.com")
    code, out, _ = run(db, capsys, "smtp_security", "none")
    assert code == 0 and run(db, capsys, "smtp_security")[1] == "none\n"
    with open_database(db) as d:
        assert load_smtp_settings(d).security == "plain"  # type: ignore[union-attr]
    code, out, _ = run(db, capsys, "unit", "")
    assert code == 0 and out.startswith("已清除 unit") and run(db, capsys, "unit")[1] == "\n"


@pytest.mark.parametrize("args,words", [
    (["from", "not-an-address"], ["发件人", "not-an-address", "格式不正确"]),
    (["smtp", "smtp.qq.com"], ["服务器:端口"]),
    (["smtp", "smtp.qq.com:99999"], ["服务器:端口"]),
    (["imap_security", "tls"], ["ssl、starttls 或 none", "tls"]),
    (["letter_kind", "通知"], ["函、报告"]),
    (["password", "secret"], ["密码不保存在设置中", "钥匙串"]),
    (["smtp_password", "secret"], ["密码不保存在设置中"]),
    (["colour", "red"], ["没有设置项“colour”", "unit"]),
])
def test_bad_settings_are_one_line_and_change_nothing(tmp_path, capsys, args, words) -> None:
    db = tmp_path / "m.db"
    before = run(db, capsys)[1]
    code, out, err = run(db, capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and all(w in err for w in words), err
    assert run(db, capsys)[1] == before
    assert "secret" not in (db.read_bytes() if db.exists() else b"").decode("latin-1")


def _from_header(path: Path) -> str:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    return msg["From"].addresses[0].addr_spec


def test_mail_from_option_and_user_address(listed, tmp_path, capsys) -> None:
    base = ["--db", str(listed), "mail", "--month", "2023-05", "--to", "fgw@wl.example.gov.cn"]
    assert main([*base, "--eml", str(tmp_path / "a.eml"), "--from", "jw@wl.example.gov.cn"]) == 0
    assert _from_header(tmp_path / "a.eml") == "jw@wl.example.gov.cn"
    assert main(["--db", str(listed), "settings", "from", "office@wl.example.gov.cn"]) == 0
    assert main([*base, "--eml", str(tmp_path / "b.eml")]) == 0
    assert _from_header(tmp_path / "b.eml") == "office@wl.example.gov.cn"  # the setting when no option
    assert main([*base, "--eml", str(tmp_path / "c.eml"), "--from", "jw@wl.example.gov.cn"]) == 0
    assert _from_header(tmp_path / "c.eml") == "jw@wl.example.gov.cn"  # the option over the setting


def test_mail_send_on_a_fresh_database_names_from(listed, capsys, monkeypatch) -> None:
    monkeypatch.setenv("MINSHENG_SMTP_PASSWORD", "x")
    base = ["--db", str(listed), "mail", "--month", "2023-05", "--to", "fgw@wl.example.gov.cn", "--send",
            "--smtp", "127.0.0.1:9", "--starttls"]
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "没有发件人邮箱地址" in err and "--from" in err and "--to" not in err


def test_mail_send_takes_the_user_when_it_is_an_address(listed, capsys, monkeypatch) -> None:
    """--user jw@qq.com is the sender: the command goes past the sender check to the server (port 9: refused)."""
    monkeypatch.setenv("MINSHENG_SMTP_PASSWORD", "x")
    base = ["--db", str(listed), "mail", "--month", "2023-05", "--to", "fgw@wl.example.gov.cn", "--send",
            "--smtp", "127.0.0.1:9", "--starttls", "--user", "jw@qq.com"]
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "发件人" not in err and err.strip()
