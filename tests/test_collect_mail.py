"""Issue 18: the month's returns gathered from the mailbox (`minsheng collect --imap`, services/collect_mail.py,
mail/imap.py) against a real Dovecot. The messages are put in the mailbox with IMAP APPEND as the units' mail
clients leave them: exports made by the program, a correction sent twice by one unit, junk, a reply without an
attachment, Chinese attachment names in RFC 2231 and RFC 2047 forms, an unreadable .xlsx, an older message."""

from __future__ import annotations

import datetime as dt
import imaplib
import io
import shutil
import sqlite3
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.exporters.xlsx_meta import META_SHEET
from minsheng_desktop.mail.imap import _utf7, parse_message_bytes
from minsheng_desktop.services.collect_mail import CancelToken, ImapSettings, MailError, gather
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.units import address_book, save_entry
from minsheng_desktop.domain.units import UnitContact
from tests.dovecot_support import start_dovecot, stop_dovecot
from tests.test_collect import MONTH, NOTICE, _fill

TZ = dt.timezone(dt.timedelta(hours=8))
FGW = "fgw@example.gov.cn"
USERS = {FGW: "Pw-collect-2023", "mark@example.gov.cn": "Pw-mark-2023", "move@example.gov.cn": "Pw-move-2023"}
BOOK_UNIT, BOOK_ADDR = "区教委", "jw@example.gov.cn"  # in the address book
LEARN_UNIT, LEARN_ADDR = "区城市管理局", "cg@example.gov.cn"  # not in it: the unit comes from the attachment
TWICE_UNIT, TWICE_ADDR = "区住房城乡建委", "zj@example.gov.cn"  # sends a correction
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
OWN, OWN_PASSWORD = "own@example.gov.cn", "Pw-own-2023"


def _export(db_path: Path, unit: str, out: Path) -> bytes:
    assert main(["--db", str(db_path), "export", "--month", MONTH, "--format", "xlsx", "--out", str(out),
                 "--unit", unit, "--force"]) == 0
    return out.read_bytes()


def _rfc2231(frm: str, subject: str, when: dt.datetime, attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
             reply_to: str | None = None) -> bytes:
    """As Thunderbird / Apple Mail write it: UTF-8 headers, filename*=utf-8''… (RFC 2231) for a Chinese name."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = frm, FGW, subject
    msg["Date"], msg["Message-ID"] = format_datetime(when), make_msgid(domain="units.example.gov.cn")
    if reply_to:
        msg["In-Reply-To"] = reply_to
    msg.set_content("王老师：附件是本单位本月民生实事推进情况表，请查收。")
    for name, data in attachments:
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    raw = msg.as_bytes(policy=policy.SMTP)
    assert b"filename*" in raw or not attachments
    return raw


def _rfc2047(frm: str, subject: str, when: dt.datetime, name: str, data: bytes) -> bytes:
    """As Outlook / Foxmail write it: filename="=?utf-8?b?…?=" (RFC 2047 words inside the parameter)."""
    msg = MIMEMultipart()
    sender, addr = parseaddr(frm)
    msg["From"], msg["To"] = formataddr((str(Header(sender, "utf-8").encode()), addr)), FGW
    msg["Subject"] = Header(subject, "utf-8").encode()
    msg["Date"], msg["Message-ID"] = format_datetime(when), make_msgid(domain="outlook.example.gov.cn")
    msg.attach(MIMEText("附件为5月推进情况表。", "plain", "utf-8"))
    part = MIMEApplication(data, _subtype=XLSX[1])
    encoded = Header(name, "utf-8", maxlinelen=998).encode()
    part.add_header("Content-Disposition", f'attachment; filename="{encoded}"')
    msg.attach(part)
    raw = msg.as_bytes()
    assert b'filename="=?utf-8?b?' in raw
    return raw


def _append(imap: imaplib.IMAP4, raw: bytes, when: dt.datetime) -> None:
    typ, _ = imap.append("INBOX", None, imaplib.Time2Internaldate(when), raw)
    assert typ == "OK"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:  # type: ignore[no-untyped-def]
    """The units' exports, the district's database, and a Dovecot whose three mailboxes hold the month's mail."""
    tmp = tmp_path_factory.mktemp("collect_mail")
    sent: dict[str, dict[str, float]] = {}
    files: dict[str, bytes] = {}
    for unit in (BOOK_UNIT, LEARN_UNIT, TWICE_UNIT):
        unit_db = tmp / f"{unit}.db"
        _fill(unit_db, {unit})
        files[unit] = _export(unit_db, unit, tmp / f"{unit}.xlsx")
        with open_database(unit_db) as db:
            tl = select_list(db)
            reports = month_reports(db, tl.id, MONTH)
            led = [p for p in projects_of(db, tl.id) if unit in p.lead_units and p.id in reports]
            sent[unit] = {p.name: reports[p.id].percent for p in led}
            if unit == TWICE_UNIT:  # the correction: one project's progress changed, exported again
                first = led[0]
                save_report(db, Report(first.id, MONTH, percent=95.0, investment_done_wan=reports[first.id].investment_done_wan,
                                       progress="已完成主体工程（更正）", status="on_track"))
                files["correction"] = _export(unit_db, unit, tmp / f"{unit}-更正.xlsx")
                sent["first"] = dict(sent[unit])
                sent[unit][first.name] = 95.0
    district = tmp / "district.db"
    with open_database(district) as db:
        import_file(db, NOTICE)
        save_entry(db, UnitContact(BOOK_UNIT, "张老师", None, BOOK_ADDR))
    day = dt.datetime(2023, 6, 2, 9, 0, tzinfo=TZ)
    mails = [
        (_rfc2231(f"张老师 <{BOOK_ADDR}>", "区教委5月民生实事推进情况", day,
                  [("区教委_2023年5月民生实事推进情况表.xlsx", files[BOOK_UNIT])]), day),
        (_rfc2047(f"城管局 <{LEARN_ADDR}>", "报送：5月民生实事推进情况", day + dt.timedelta(hours=1),
                  "区城市管理局_2023年5月推进情况表.xlsx", files[LEARN_UNIT]), day + dt.timedelta(hours=1)),
        (_rfc2231(f"住建委 <{TWICE_ADDR}>", "住建委5月推进情况", day + dt.timedelta(hours=2),
                  [("区住房城乡建委_2023年5月.xlsx", files[TWICE_UNIT])]), day + dt.timedelta(hours=2)),
        (_rfc2231(f"住建委 <{TWICE_ADDR}>", "更正：住建委5月推进情况", day + dt.timedelta(days=1),
                  [("区住房城乡建委_2023年5月.xlsx", files["correction"])]), day + dt.timedelta(days=1)),
        (_rfc2231("发票代开 <ad@spam.example.com>", "代开各类发票", day + dt.timedelta(hours=3)),
         day + dt.timedelta(hours=3)),
        (_rfc2231(f"张老师 <{BOOK_ADDR}>", "Re: 关于报送5月民生实事推进情况的通知", day + dt.timedelta(hours=4),
                  reply_to="<notice@fgw.example.gov.cn>"), day + dt.timedelta(hours=4)),
        (_rfc2231("民政局 <mz@example.gov.cn>", "民政局5月报表", day + dt.timedelta(hours=5),
                  [("区民政局_2023年5月.xlsx", b"PK\x03\x04 this is not really a workbook" * 20)]),
         day + dt.timedelta(hours=5)),
        (_rfc2231(f"张老师 <{BOOK_ADDR}>", "区教委4月推进情况", dt.datetime(2023, 4, 28, tzinfo=TZ),
                  [("区教委_2023年4月.xlsx", files[BOOK_UNIT])]), dt.datetime(2023, 4, 28, tzinfo=TZ)),
    ]
    server = start_dovecot({**USERS, OWN: OWN_PASSWORD})  # OWN's mailbox is filled by its test
    try:
        for user in USERS:
            imap = server.client(user)
            try:
                if user.startswith("move"):
                    assert imap.create(_utf7("已汇总"))[0] == "OK"
                for raw, when in mails:
                    _append(imap, raw, when)
            finally:
                imap.logout()
        yield {"server": server, "district": district, "sent": sent, "tmp": tmp, "files": files}
    finally:
        stop_dovecot(server)


def _district(world: dict, name: str) -> Path:
    path = world["tmp"] / name
    shutil.copy(world["district"], path)
    return path


def _flags(world: dict, user: str, folder: str = "INBOX") -> dict[str, str]:
    imap = world["server"].client(user)
    try:
        imap.select(folder, readonly=True)
        typ, data = imap.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        out = {}
        for item in data:
            if isinstance(item, tuple):
                subject = parse_message_bytes(item[1]).subject
                flags = item[0].decode().split("FLAGS (")[1].split(")")[0].split()
                out[subject] = " ".join(f for f in flags if f != "\\Recent")  # \Recent: whichever session saw it first
        return out
    finally:
        imap.logout()


def _percents(db_path: Path) -> dict[str, float]:
    with open_database(db_path) as db:
        tl = select_list(db)
        reports = month_reports(db, tl.id, MONTH)
        return {p.name: reports[p.id].percent for p in projects_of(db, tl.id) if p.id in reports}


def _rows(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _collect(db: Path, user: str, port: int, *extra: str) -> list[str]:
    return ["--db", str(db), "collect", "--imap", f"127.0.0.1:{port}", "--user", user, "--month", MONTH, *extra]


# ------------------------------------------------------------------ what is collected


def test_what_is_collected_equals_what_the_units_sent_once(world, monkeypatch, capsys) -> None:
    db = _district(world, "plain.db")
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", USERS[FGW])
    before = _flags(world, FGW)
    assert main(_collect(db, FGW, world["server"].plain_port, "--plain")) == 0
    out = capsys.readouterr().out
    expected = {**world["sent"][BOOK_UNIT], **world["sent"][LEARN_UNIT], **world["sent"][TWICE_UNIT]}
    assert _percents(db) == expected  # the correction's 95, not the first message's value
    first = world["sent"]["first"]
    changed = [n for n in first if first[n] != world["sent"][TWICE_UNIT][n]]
    assert len(changed) == 1 and f"{changed[0]}" in out and "以" in out and "→ 95%" in out
    assert "区教委（通讯录）" in out and "区城市管理局（报表内容）" in out
    assert "“区城市管理局_2023年5月推进情况表.xlsx”" in out and "“区教委_2023年5月民生实事推进情况表.xlsx”" in out
    assert "代开各类发票" in out and "没有附件，不是报送邮件" in out
    assert "回复邮件，没有附件" in out
    assert "区民政局_2023年5月.xlsx" in out and "未汇总" in out
    assert "4月推进情况" not in out  # arrived before the month: not read
    assert "邮箱未作任何改动" in out
    assert _flags(world, FGW) == before and not any("Seen" in f for f in before.values())
    with open_database(db) as d:  # the unit not in the book learnt its address from its return
        book = {u.name: (u.email, u.source) for u in address_book(d)}
    assert book[LEARN_UNIT] == (LEARN_ADDR, "learnt") and book[BOOK_UNIT][0] == BOOK_ADDR
    assert _rows(db, "mail_taken") == 4

    # a second run takes nothing new and changes nothing
    counts = [_rows(db, t) for t in ("reports", "report_history", "collect_log", "mail_taken")]
    assert main(_collect(db, FGW, world["server"].plain_port, "--plain")) == 0
    out = capsys.readouterr().out
    assert "另有4封已收取过" in out and "月报 0 条" in out
    assert [_rows(db, t) for t in ("reports", "report_history", "collect_log", "mail_taken")] == counts


@pytest.mark.parametrize("security", ["--starttls", "--ssl"])
def test_starttls_and_ssl_with_the_certificate_checked(world, monkeypatch, capsys, security) -> None:
    db = _district(world, f"tls{security}.db")
    server = world["server"]
    port = server.ssl_port if security == "--ssl" else server.plain_port
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", USERS[FGW])
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca))
    assert main(_collect(db, FGW, port, security, "--dry-run")) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "收取" in out and "区住房城乡建委" in out
    assert _rows(db, "reports") == 0 and _rows(db, "mail_taken") == 0  # a dry run writes nothing
    monkeypatch.delenv("SSL_CERT_FILE")  # the self-signed certificate is not trusted then
    monkeypatch.setenv("SSL_CERT_FILE", str(world["tmp"] / "no-such-ca.pem"))
    assert main(_collect(db, FGW, port, security)) == 2
    err = capsys.readouterr().err.strip()
    assert "证书无法验证" in err and len(err.splitlines()) == 1


def test_mark_read_and_move_change_the_mailbox_only_when_asked(world, monkeypatch, capsys) -> None:
    server = world["server"]
    user = "mark@example.gov.cn"
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", USERS[user])
    assert main(_collect(_district(world, "mark.db"), user, server.plain_port, "--plain", "--mark-read")) == 0
    assert "已把收取的 4 封邮件标为已读" in capsys.readouterr().out
    flags = _flags(world, user)
    seen = {s for s, f in flags.items() if "\\Seen" in f}
    assert seen == {"区教委5月民生实事推进情况", "报送：5月民生实事推进情况", "住建委5月推进情况", "更正：住建委5月推进情况"}

    user = "move@example.gov.cn"
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", USERS[user])
    assert main(_collect(_district(world, "move.db"), user, server.plain_port, "--plain", "--move-to", "已汇总")) == 0
    assert "移到“已汇总”" in capsys.readouterr().out
    moved = _flags(world, user, _utf7("已汇总"))
    assert set(moved) == seen and not any("\\Seen" in f for f in moved.values())
    assert "代开各类发票" in _flags(world, user) and not set(_flags(world, user)) & seen


def test_a_units_own_form_is_offered_through_the_same_matching(world, monkeypatch, capsys) -> None:
    """A workbook without the program's hidden sheet (the unit retyped it in its own file) is read by its header
    words and matched by 序号 + 项目名称, like a file given to `collect`."""
    wb = load_workbook(io.BytesIO(world["files"][BOOK_UNIT]))
    wb.remove(wb[META_SHEET])
    buf = io.BytesIO()
    wb.save(buf)
    when = dt.datetime(2023, 6, 5, 10, tzinfo=TZ)
    imap = world["server"].client(OWN)
    try:
        _append(imap, _rfc2231(f"张老师 <{BOOK_ADDR}>", "本单位自制表格", when, [("教委自制表.xlsx", buf.getvalue())]), when)
    finally:
        imap.logout()
    db = _district(world, "own.db")
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", OWN_PASSWORD)
    assert main(_collect(db, OWN, world["server"].plain_port, "--plain")) == 0
    out = capsys.readouterr().out
    assert "“教委自制表.xlsx” 4条" in out and "未匹配0条" in out
    assert _percents(db) == world["sent"][BOOK_UNIT]


def test_cancelled_while_reading_writes_nothing(world) -> None:
    db = _district(world, "cancel.db")
    token = CancelToken()
    token.cancel()
    settings = ImapSettings("127.0.0.1", world["server"].plain_port, "plain", FGW)
    with open_database(db) as d, pytest.raises(MailError, match="已取消收取"):
        gather(d, settings, USERS[FGW], MONTH, cancel=token)
    assert _rows(db, "reports") == 0 and _rows(db, "mail_taken") == 0


# ------------------------------------------------------------------ failures: one line, exit 2, nothing written


def _fails(world, monkeypatch, capsys, args: list[str], password: str, words: str) -> None:  # type: ignore[no-untyped-def]
    db = _district(world, "fail.db")
    monkeypatch.setenv("MINSHENG_IMAP_PASSWORD", password)
    before = db.read_bytes()
    assert main(["--db", str(db), "collect", *args, "--month", MONTH]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1, err
    assert db.read_bytes() == before


def test_wrong_password(world, monkeypatch, capsys) -> None:
    _fails(world, monkeypatch, capsys, ["--imap", f"127.0.0.1:{world['server'].plain_port}", "--user", FGW, "--plain"],
           "wrong-password", "拒绝登录")


def test_server_down(world, monkeypatch, capsys) -> None:
    from tests.test_mail_support import free_port

    _fails(world, monkeypatch, capsys, ["--imap", f"127.0.0.1:{free_port()}", "--user", FGW, "--plain"],
           USERS[FGW], "无法连接收信服务器")


def test_tls_to_a_plain_port(world, monkeypatch, capsys) -> None:
    _fails(world, monkeypatch, capsys, ["--imap", f"127.0.0.1:{world['server'].plain_port}", "--user", FGW, "--ssl"],
           USERS[FGW], "加密连接失败")


def test_folder_missing(world, monkeypatch, capsys) -> None:
    _fails(world, monkeypatch, capsys, ["--imap", f"127.0.0.1:{world['server'].plain_port}", "--user", FGW, "--plain",
                                        "--folder", "报送邮件"], USERS[FGW], "没有文件夹“报送邮件”")


def test_neither_files_nor_imap_is_a_usage_error(world, capsys) -> None:
    assert main(["--db", str(_district(world, "usage.db")), "collect", "--month", MONTH]) == 2
    assert "没有要汇总的文件" in capsys.readouterr().err


# ------------------------------------------------------------------ parsing, without a server


def test_attachment_names_in_rfc2231_and_rfc2047_and_a_badly_encoded_sender() -> None:
    when = dt.datetime(2023, 6, 2, 9, tzinfo=TZ)
    name = "区城市管理局_2023年5月民生实事推进情况表（更正）.xlsx"
    a = parse_message_bytes(_rfc2231(f"城管局 <{LEARN_ADDR}>", "报送", when, [(name, b"PK-1")]))
    b = parse_message_bytes(_rfc2047(f"城管局 <{LEARN_ADDR}>", "报送", when, name, b"PK-2"))
    assert [(x.filename, x.data) for x in a.attachments] == [(name, b"PK-1")]
    assert [(x.filename, x.data) for x in b.attachments] == [(name, b"PK-2")]
    assert (a.from_name, a.from_addr) == (b.from_name, b.from_addr) == ("城管局", LEARN_ADDR)
    # an old client that encoded the whole From, address and all, in one word
    broken = b"From: =?utf-8?b?" + __import__("base64").b64encode(f"城管局 <{LEARN_ADDR}>".encode()) + \
        b"?=\r\nSubject: x\r\n\r\nhi\r\n"
    c = parse_message_bytes(broken)
    assert c.from_addr == LEARN_ADDR and c.message_id.startswith("<sha256-") and not c.attachments


def test_folder_names_in_modified_utf7() -> None:
    assert _utf7("~peter/mail/台北/日本語") == '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'  # RFC 3501 5.1.3
    assert _utf7("INBOX") == '"INBOX"' and _utf7("A&B") == '"A&-B"'
