"""The units' address book (`minsheng units`, `units load`) and reminders (`minsheng remind`), issue 18 items 2-3:
real files in (.xlsx from openpyxl, .csv as Excel saves it in GBK), real .eml files out, a real SMTP server."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.mail.send import SmtpSettings
from minsheng_desktop.services import outbox
from minsheng_desktop.services.outbox import sent_months
from minsheng_desktop.services.remind import plan_reminders
from minsheng_desktop.services.reports import projects_of, save_report
from minsheng_desktop.services.units import address_book, learn_address, save_entry
from minsheng_desktop.domain.units import UnitContact

from .conftest import FIXTURES
from .test_mail_smtp import servers  # noqa: F401 - the fixture
from .test_mail_support import PASSWORD, USER, Server, certs  # noqa: F401 - the session fixture

BOOK = [("单位", "联系人", "电话", "邮箱"),
        ("区教委", "张三", "023-77721234", "jw@wl.example.gov.cn"),
        ("区城市管理局", "李四", "13800000000", "cg@wl.example.gov.cn"),
        ("区卫生健康委", "王五", "", "")]


def xlsx(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(path)
    return path


@pytest.fixture
def listed(tmp_path: Path, capsys) -> Path:
    """武隆 2023 with May reported for the first project of 区教委 only."""
    db = tmp_path / "m.db"
    assert main(["--db", str(db), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    with open_database(db) as d:
        p = next(p for p in projects_of(d, select_list(d).id) if p.is_leaf and "区教委" in p.lead_units)
        save_report(d, Report(p.id, "2023-05", "on_track", 40, 10, "正常推进", None, "继续施工"))
    capsys.readouterr()
    return db


def cli(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ the address book


def test_units_load_xlsx_prints_and_twice_changes_nothing(tmp_path, capsys) -> None:
    db = tmp_path / "m.db"
    assert cli(db, capsys, "units")[1].startswith("单位通讯录为空")
    path = xlsx(tmp_path / "通讯录.xlsx", BOOK)
    code, out, err = cli(db, capsys, "units", "load", str(path))
    assert code == 0, err
    assert "新增 3 个单位" in out
    code, out, _ = cli(db, capsys, "units")
    lines = out.splitlines()
    assert lines[0] == "单位\t联系人\t电话\t邮箱\t来源"
    assert "区教委\t张三\t023-77721234\tjw@wl.example.gov.cn\t从文件导入" in lines
    assert "区卫生健康委\t王五\t\t\t从文件导入" in lines
    assert cli(db, capsys, "units", "load", str(path))[1].startswith("通讯录无变化")
    changed = xlsx(tmp_path / "b.xlsx", [BOOK[0], ("区教委", "赵六", "023-1", "jw2@wl.example.gov.cn")])
    assert "更新 1 个单位" in cli(db, capsys, "units", "load", str(changed))[1]
    with open_database(db) as d:
        book = {u.name: u for u in address_book(d)}
    assert book["区教委"].contact == "赵六" and book["区城市管理局"].email == "cg@wl.example.gov.cn"  # others stay


def test_units_load_csv_as_excel_saves_it(tmp_path, capsys) -> None:
    path = tmp_path / "通讯录.csv"
    path.write_bytes("\r\n".join(",".join(r) for r in BOOK).encode("gb18030"))  # Excel's "CSV (逗号分隔)"
    db = tmp_path / "m.db"
    assert cli(db, capsys, "units", "load", str(path))[0] == 0
    with open_database(db) as d:
        assert [u.name for u in address_book(d)] == sorted(r[0] for r in BOOK[1:])
    path.write_bytes(("\ufeff" + "\n".join(",".join(r) for r in BOOK[:2])).encode("utf-8"))  # CSV UTF-8
    assert cli(db, capsys, "units", "load", str(path))[1].startswith("通讯录无变化")


@pytest.mark.parametrize("rows,words", [
    ([("名称", "电话"), ("区教委", "1")], ["找不到表头", "单位", "邮箱"]),
    ([BOOK[0], ("区教委", "张三", "1", "not-an-address")], ["第 2 行", "not-an-address", "格式不正确"]),
    ([BOOK[0], ("", "张三", "1", "a@b.cn")], ["第 2 行", "单位", "为空"]),
    ([BOOK[0], ("区教委", "张三", "1", "a@b.cn"), ("区教委", "李四", "2", "c@d.cn")], ["第 3 行", "两次"]),
    ([BOOK[0]], ["没有单位"]),
])
def test_a_bad_units_file_loads_nothing(tmp_path, capsys, rows, words) -> None:
    db = tmp_path / "m.db"
    code, out, err = cli(db, capsys, "units", "load", str(xlsx(tmp_path / "x.xlsx", rows)))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and all(w in err for w in words), err
    with open_database(db) as d:
        assert address_book(d) == []  # not even the good rows: all or nothing


def test_units_usage(tmp_path, capsys) -> None:
    db = tmp_path / "m.db"
    assert cli(db, capsys, "units", "load")[0] == 2
    assert cli(db, capsys, "units", "load", str(tmp_path / "a.doc"))[2].strip().endswith("请检查路径。")
    (tmp_path / "a.txt").write_text("x")
    assert ".xlsx 或 .csv" in cli(db, capsys, "units", "load", str(tmp_path / "a.txt"))[2]


def test_an_address_is_learnt_only_where_the_book_has_none(tmp_path) -> None:
    with open_database(tmp_path / "m.db") as d:
        assert learn_address(d, "区水利局", "sl@wl.example.gov.cn")
        save_entry(d, UnitContact("区教委", "张三", None, "jw@wl.example.gov.cn"))
        assert not learn_address(d, "区教委", "someone@qq.com")  # the clerk's own entry stays
        assert not learn_address(d, "区水利局", "sl@wl.example.gov.cn")  # nothing new
        assert learn_address(d, "区 水利局", "sl2@wl.example.gov.cn")  # a learnt address follows the unit
        assert not learn_address(d, "区城市管理局", "not an address")
        book = {u.name: u for u in address_book(d)}
    assert book["区水利局"].email == "sl2@wl.example.gov.cn" and book["区水利局"].source == "learnt"
    assert book["区教委"].email == "jw@wl.example.gov.cn" and "区城市管理局" not in book


# ------------------------------------------------------------------ reminders


def test_remind_writes_one_draft_per_unit_and_not_twice_a_day(listed, tmp_path, capsys) -> None:
    assert cli(listed, capsys, "units", "load", str(xlsx(tmp_path / "b.xlsx", BOOK)))[0] == 0
    assert cli(listed, capsys, "settings", "from", "fgw@wl.example.gov.cn")[0] == 0
    assert cli(listed, capsys, "settings", "unit", "区发展改革委")[0] == 0
    out_dir = tmp_path / "催报"
    code, out, err = cli(listed, capsys, "remind", "--month", "2023-05", "--eml", str(out_dir))
    assert code == 0, err
    files = sorted(p.name for p in out_dir.iterdir())
    with open_database(listed) as d:
        t = select_list(d)
        plan = plan_reminders(d, t, "2023-05", "eml", force=True)
        projects = projects_of(d, t.id)
        assert sent_months(d, t.id) == {}  # a reminder is not the month's report
    assert [f.unit for f, _ in plan.due] == ["区城市管理局"]  # 区教委 reported one project: not reminded
    assert files == ["催报_区城市管理局_2023-05.eml"]
    assert "区卫生健康委" in plan.no_address and "区卫生健康委" in out and "通讯录中没有邮箱" in out
    msg = BytesParser(policy=policy.default).parsebytes((out_dir / files[0]).read_bytes())
    assert msg["To"].addresses[0].addr_spec == "cg@wl.example.gov.cn"
    assert msg["From"].addresses[0].addr_spec == "fgw@wl.example.gov.cn" and msg["X-Unsent"] == "1"
    assert "2023年5月" in msg["Subject"] and "区城市管理局" in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("区城市管理局（李四同志）：")
    led = [p for p in projects if p.is_leaf and "区城市管理局" in p.lead_units]
    assert led and all(p.name in body for p in led)
    assert "报送时限（2023年5月31日）已过" in body  # 武隆's notice: by the month's end
    code, out, _ = cli(listed, capsys, "remind", "--month", "2023-05", "--eml", str(out_dir))
    assert code == 0 and "今天已催报过" in out and "区城市管理局" in out and "已写出" not in out
    code, out, _ = cli(listed, capsys, "remind", "--month", "2023-05", "--eml", str(out_dir), "--force")
    assert code == 0 and "已写出催报邮件草稿：区城市管理局" in out


def test_remind_when_everyone_reported(listed, tmp_path, capsys) -> None:
    with open_database(listed) as d:
        for p in projects_of(d, select_list(d).id):
            if p.is_leaf and not p.withdrawn:
                save_report(d, Report(p.id, "2023-05", "on_track", 40, 10, "正常推进", None, None))
    code, out, _ = cli(listed, capsys, "remind", "--month", "2023-05", "--eml", str(tmp_path / "d"))
    assert code == 0 and "无需催报" in out


def test_remind_send_over_smtp(listed, tmp_path, capsys, servers, certs, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv("SSL_CERT_FILE", str(certs[0]))  # what create_default_context() trusts
    server = servers("starttls", certs)
    assert cli(listed, capsys, "units", "load", str(xlsx(tmp_path / "b.xlsx", BOOK)))[0] == 0
    monkeypatch.setenv("MINSHENG_SMTP_PASSWORD", PASSWORD)
    base = ["remind", "--month", "2023-05", "--send", "--smtp", f"127.0.0.1:{server.port}", "--starttls", "--user", USER,
            "--from", "fgw@wl.example.gov.cn"]
    code, out, err = cli(listed, capsys, *base)
    assert code == 0, err
    assert out.splitlines()[0] == "已发送催报邮件：区城市管理局 → cg@wl.example.gov.cn"
    [got] = server.received
    assert got.rcpt_tos == ["cg@wl.example.gov.cn"] and got.mail_from == "fgw@wl.example.gov.cn"
    code, out, _ = cli(listed, capsys, *base)
    assert code == 0 and "今天已催报过" in out and len(server.received) == 1
    server.stop()  # offline: the reminder waits in the 发件箱, and goes out from there later
    code, out, err = cli(listed, capsys, *base, "--force")
    assert code == 0 and "已放入发件箱" in out and "区城市管理局" in out
    with open_database(listed) as d:
        [waiting] = outbox.list_outbox(d)
        assert outbox.sent_log(d) == [] and sent_months(d, select_list(d).id) == {}
        again = servers("starttls", certs)
        outcome = outbox.resend(d, waiting.id, SmtpSettings(host="127.0.0.1", port=again.port, security="starttls",
                                                            user=USER, timeout=10), PASSWORD)
        assert outcome.sent and outbox.list_outbox(d) == []
        assert outbox.sent_log(d) == [] and sent_months(d, select_list(d).id) == {}  # not the month's report
    assert [m.rcpt_tos for m in again.received] == [["cg@wl.example.gov.cn"]]
    code, out, _ = cli(listed, capsys, *base)  # logged when it went out from the 发件箱: not sent again today
    assert code == 0 and "今天已催报过" in out


def test_a_refused_reminder_is_listed_and_not_queued(listed, tmp_path, capsys, servers, certs,  # noqa: F811
                                                     monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs[0]))
    server = servers("starttls", certs)
    assert cli(listed, capsys, "units", "load", str(xlsx(tmp_path / "b.xlsx", BOOK)))[0] == 0
    monkeypatch.setenv("MINSHENG_SMTP_PASSWORD", "wrong")
    code, out, err = cli(listed, capsys, "remind", "--month", "2023-05", "--send", "--smtp",
                         f"127.0.0.1:{server.port}", "--starttls", "--user", USER, "--from", "fgw@wl.example.gov.cn")
    assert code == 2 and "未能发送：区城市管理局" in out and "发件箱" not in out
    with open_database(listed) as d:
        assert outbox.list_outbox(d) == []


def test_remind_send_needs_a_sender(listed, tmp_path, capsys, monkeypatch) -> None:
    assert cli(listed, capsys, "units", "load", str(xlsx(tmp_path / "b.xlsx", BOOK)))[0] == 0
    monkeypatch.setenv("MINSHENG_SMTP_PASSWORD", "x")
    code, _, err = cli(listed, capsys, "remind", "--month", "2023-05", "--send", "--smtp", "127.0.0.1:9")
    assert code == 2 and "--from" in err


def test_the_deadline_passed_is_said(listed) -> None:
    from minsheng_desktop.mail.monthly import Sender
    from minsheng_desktop.mail.remind import ReminderFacts, reminder_body

    f = ReminderFacts(1, "武隆区", 2023, "关于印发2023年民生实事的通知", "2023-05", "区教委", None, ("1.项目",),
                      dt.date(2023, 6, 5))
    assert "请于2023年6月5日前报送" in reminder_body(f, Sender(), dt.date(2023, 6, 1))
    late = reminder_body(f, Sender(), dt.date(2023, 6, 9))
    assert "报送时限（2023年6月5日）已过，请尽快报送" in late and "《关于印发2023年民生实事的通知》" in late
