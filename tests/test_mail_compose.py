"""The monthly e-mail as a draft: headers, body, Chinese attachment names, recipient overrides, `minsheng mail --eml`."""

from __future__ import annotations

import email.header
from pathlib import Path

import pytest

from minsheng_desktop.mail.compose import Attachment, MailError, attachments_of, parse_message
from minsheng_desktop.services.mailing import build_month_mail, resolve_recipient
from minsheng_desktop.storage import repo

from .test_mail_support import ATTACHMENTS, CONTACT, MONTH, UNIT, USER, make_db


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, list_id, ours = make_db(tmp_path / "m.db")
    yield db, repo.get_target_list(db, list_id), ours
    db.close()


def check_message(data: bytes, *, to: str = CONTACT, draft: bool = False) -> None:
    """Parse the bytes back and check every header, the body and each attachment byte for byte."""
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    data.decode("ascii")  # 7-bit clean: any server, any client
    msg = parse_message(data)
    assert str(msg["Subject"]) == "【民生实事月报】区教委2023年5月推进情况"
    assert msg["To"].addresses[0].addr_spec == to
    assert msg["From"].addresses[0].addr_spec == USER
    assert msg["From"].addresses[0].display_name == "区教委 李四"
    assert (msg["X-Unsent"] == "1") is draft
    assert msg["Message-ID"] and msg["Date"] and msg["MIME-Version"] == "1.0"
    body = msg.get_body(("plain",)).get_content()
    for text in ("区发展改革委：", "区教委2023年5月", "共2个", "已填报2个", "已完成1个", "正常推进1个",
                 "023-77881234", "李四"):
        assert text in body, text
    atts = list(msg.iter_attachments())
    assert [a.get_filename() for a in atts] == [name for name, _ in ATTACHMENTS]
    for part, (name, data_) in zip(atts, ATTACHMENTS):
        assert part.get_payload(decode=True) == data_
        raw_name = part.get_param("name")  # the RFC 2047 form Outlook and Foxmail read
        assert str(email.header.make_header(email.header.decode_header(raw_name))) == name
        assert part.get_content_disposition() == "attachment"
    assert attachments_of(data) == [Attachment(n, d, a.get_content_type()) for (n, d), a in zip(ATTACHMENTS, atts)]


def test_draft_round_trip(setup) -> None:  # type: ignore[no-untyped-def]
    db, t, ours = setup
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT, draft=True)
    check_message(mail.data, draft=True)
    assert set(mail.project_ids) == set(ours)
    raw = mail.data.decode("ascii")
    assert "name=\"=?UTF-8?B?" in raw and "filename*0*=UTF-8''" in raw and "filename*1*=%" in raw


def test_short_name_single_parameter() -> None:
    from minsheng_desktop.mail.compose import build_message, message_bytes

    data = message_bytes(build_message(to=CONTACT, subject="报送", body="正文", attachments=[Attachment("报送函.docx", b"x")]))
    assert "filename*=UTF-8''%E6%8A%A5%E9%80%81%E5%87%BD.docx" in data.decode("ascii")
    assert attachments_of(data)[0].filename == "报送函.docx"


def test_recipient_overrides(setup) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = setup
    assert resolve_recipient(db, t) == CONTACT
    repo.set_setting(db, "mail_to", "all@example.cn")
    assert resolve_recipient(db, t) == "all@example.cn"
    repo.set_setting(db, f"mail_to:{t.id}", "list@example.cn")
    assert resolve_recipient(db, t) == "list@example.cn"
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT, to="cli@example.cn")
    assert parse_message(mail.data)["To"].addresses[0].addr_spec == "cli@example.cn"


def test_bad_or_missing_recipient(setup) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = setup
    with pytest.raises(MailError, match="格式不正确"):
        build_month_mail(db, t, MONTH, ATTACHMENTS, to="not an address")
    with pytest.raises(MailError, match="还没有填报"):
        build_month_mail(db, t, "2023-07", ATTACHMENTS)


def test_whole_list_counts_all_units(setup) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = setup
    mail = build_month_mail(db, t, MONTH, [])
    body = parse_message(mail.data).get_body(("plain",)).get_content()
    assert "共3个" in body and "进度滞后1个" in body and len(mail.project_ids) == 3


def _cli(tmp_path: Path, *args: str) -> int:
    from minsheng_desktop.cli import main

    return main(["--db", str(tmp_path / "m.db"), "mail", "--month", MONTH, *args])


def test_cli_eml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db, _, _ = make_db(tmp_path / "m.db")
    db.close()
    import minsheng_desktop.cli.mail as cli_mail

    monkeypatch.setattr(cli_mail, "month_attachments", lambda *a: list(ATTACHMENTS))
    out = tmp_path / "草稿.eml"
    assert _cli(tmp_path, "--unit", UNIT, "--eml", str(out)) == 0
    check_message(out.read_bytes(), draft=True)
    assert _cli(tmp_path, "--unit", UNIT, "--eml", str(out)) == 2  # refuses to overwrite
    assert "--force" in capsys.readouterr().err
    assert _cli(tmp_path, "--unit", UNIT, "--eml", str(out), "--to", "x@example.cn", "--force") == 0
    assert parse_message(out.read_bytes())["To"].addresses[0].addr_spec == "x@example.cn"
    assert _cli(tmp_path, "--eml", str(tmp_path / "b.eml"), "--to", "bad") == 2
    assert "格式不正确" in capsys.readouterr().err
    assert not (tmp_path / "b.eml").exists()


def test_cli_eml_with_real_exporters(tmp_path: Path) -> None:
    pytest.importorskip("minsheng_desktop.exporters.xlsx")
    pytest.importorskip("minsheng_desktop.exporters.docx_table")
    pytest.importorskip("minsheng_desktop.exporters.letter")
    db, _, _ = make_db(tmp_path / "m.db")
    db.close()
    out = tmp_path / "real.eml"
    assert _cli(tmp_path, "--unit", UNIT, "--eml", str(out)) == 0
    atts = list(parse_message(out.read_bytes()).iter_attachments())
    names = [a.get_filename() for a in atts]
    assert len(names) == 3 and names[0].endswith(".xlsx") and "函" in names[2]
    assert all(UNIT in n for n in names)
    assert all(a.get_payload(decode=True)[:2] == b"PK" for a in atts)
