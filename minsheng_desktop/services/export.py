"""Qt-free work behind the window's 导出 and 发送 dialogs: file names, writing exports, the month's e-mail.

The window runs these in a worker thread (each with its own Database); nothing here touches Qt."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import fileio
from ..domain.model import TargetList
from ..domain.schedule import is_quarter_end
from ..domain.status import is_blank, is_reportable
from ..storage.db import Database

FORMATS: tuple[str, ...] = ("xlsx", "docx", "letter", "bulletin")
FORMAT_LABELS: dict[str, str] = {
    "xlsx": "月报表（.xlsx）", "docx": "月报表（.docx）", "letter": "报送函（.docx）", "bulletin": "季度通报（.docx）",
}


def ends_quarter(month: str) -> bool:
    """A quarter's last month (the bulletin's months); False for no month yet."""
    return bool(month) and is_quarter_end(month)


def month_attachments(db: Database, t: TargetList, month: str, unit: str | None) -> list[tuple[str, bytes]]:
    """The month's .xlsx, .docx and cover letter, made fresh by the exporters (imported only when needed)."""
    from ..exporters import collect_month, export_filename
    from ..exporters.template import builder_for

    data = collect_month(db, t, month, unit)
    return [(export_filename(kind, data), builder_for(db, t.id, kind)(data)) for kind in ("xlsx", "docx", "letter")]


# ------------------------------------------------------------------ before sending: what is still missing


def unfilled_projects(db: Database, t: TargetList, month: str, unit: str | None) -> list:  # list[Project]
    """The live projects (led by ``unit`` when given) with nothing reported for the month, in list order."""
    from ..storage import repo
    from ..storage import reports as report_repo

    projects = [p for p in repo.load_projects(db, t.id, include_withdrawn=False) if is_reportable(p, unit)]
    reports = {r.project_id: r for r in report_repo.reports_for_list(db, t.id, month)}
    return [p for p in projects if is_blank(reports.get(p.id))]


def unfilled_note(projects: list, month: str, unit: str | None, limit: int = 6) -> str:
    """区住房城乡建委2024年12月尚有2个项目未填报：13.生活污水处理能力提升、15.城市交通缓堵保畅。 ('' when none)"""
    if not projects:
        return ""
    from ..domain.schedule import month_label

    names = "、".join(f"{p.number}.{p.name}" for p in projects[:limit]) + ("等" if len(projects) > limit else "")
    return f"{unit or ''}{month_label(month)}尚有{len(projects)}个项目未填报：{names}。"


# ------------------------------------------------------------------ the clerk's contact and the recipient

CONTACT_KEYS = ("reporter_name", "reporter_phone")


def reporter_contact(db: Database) -> tuple[str, str]:
    """(联系人, 联系电话) from the settings; '' where not set."""
    from ..storage import repo

    return tuple(repo.get_setting(db, k) or "" for k in CONTACT_KEYS)  # type: ignore[return-value]


def save_reporter_contact(db: Database, name: str, phone: str) -> None:
    from ..storage import repo

    for key, value in zip(CONTACT_KEYS, (name, phone)):
        repo.set_setting(db, key, value.strip() or None)


def recipient_key(list_id: int) -> str:
    return f"mail_to:{list_id}"


def remember_recipient(db: Database, list_id: int, address: str) -> None:
    """The address the month's mail went to, proposed again next month for this list (mail.resolve_recipient)."""
    from ..storage import repo

    address = address.strip()
    if address and repo.get_setting(db, recipient_key(list_id)) != address:
        repo.set_setting(db, recipient_key(list_id), address)


# ------------------------------------------------------------------ export


def export_names(db: Database, t: TargetList, month: str, unit: str | None, kinds: list[str]) -> dict[str, str]:
    """kind -> the file name the export will get (exporters.naming, safe for Windows)."""
    from ..exporters import collect_month, export_filename

    data = collect_month(db, t, month, unit)
    return {k: export_filename(k, data) for k in kinds}


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: Path
    ok: bool
    message: str


def locked_message(name: str) -> str:
    return f"“{name}”正被其他程序（Word、WPS 或 Excel）打开，没有写入：请关闭该文件后再导出一次。"


def export_month(db: Database, t: TargetList, month: str, unit: str | None, kinds: list[str], folder: Path,
                 skip: set[str] | frozenset[str] = frozenset(), progress: Callable[..., None] | None = None,
                 cancel: threading.Event | None = None) -> list[ExportResult]:
    """Build each chosen format and write it atomically; a locked file is reported and the rest go on."""
    from ..exporters import collect_month, export_filename
    from ..exporters.template import builder_for

    say = progress or (lambda *_a: None)
    say("正在读取本月填报…", 0.0)
    data = collect_month(db, t, month, unit)
    out: list[ExportResult] = []
    for i, kind in enumerate(kinds):
        name = export_filename(kind, data)
        path = folder / name
        if cancel is not None and cancel.is_set():
            out.append(ExportResult(kind, path, False, f"已取消，未导出“{name}”。"))
            continue
        if kind in skip:
            out.append(ExportResult(kind, path, False, f"“{name}”已存在，按您的选择未覆盖。"))
            continue
        say(f"正在生成“{name}”…", i / max(len(kinds), 1))
        payload = builder_for(db, t.id, kind)(data)  # the office's own template when one is remembered
        try:
            fileio.atomic_write_bytes(path, payload)
        except (fileio.OutputLocked, PermissionError):
            out.append(ExportResult(kind, path, False, locked_message(name)))
            continue
        except OSError as exc:
            out.append(ExportResult(kind, path, False, f"“{name}”无法写入（{exc.strerror or exc}）：请检查文件夹。"))
            continue
        out.append(ExportResult(kind, path, True, f"已导出“{name}”"))
    say("导出完成", 1.0)
    return out


# ------------------------------------------------------------------ the month's e-mail


@dataclass(frozen=True)
class MailDraft:
    """What the mail dialog shows and lets the clerk edit before the message is made."""

    list_id: int
    month: str
    unit: str | None
    recipient: str | None
    subject: str
    body: str
    from_addr: str | None
    from_name: str | None
    attachments: tuple  # tuple[compose.Attachment, ...]
    project_ids: tuple[str, ...]
    unfilled: tuple = ()  # the projects (of the unit) with nothing reported for the month, in list order


def month_mail_draft(db: Database, t: TargetList, month: str, unit: str | None,
                     today: dt.date | None = None) -> MailDraft:
    """The proposed recipient, subject and body with fresh attachments. Raises MailError (e.g. nothing filled)."""
    from ..mail.compose import Attachment, MailError, month_label, subject_for
    from ..mail.monthly import compose_body, month_counts, resolve_recipient, sender_info

    sender = sender_info(db)
    name = unit or sender.unit or t.region
    counts = month_counts(db, t.id, month, unit)
    if counts.reported == 0:
        raise MailError("empty", f"{name}{month_label(month)}还没有填报任何月报：请先填报后再报送。")
    atts = tuple(Attachment(n, b) for n, b in month_attachments(db, t, month, unit))
    body = compose_body(t, month, name, counts, sender, atts, today, scoped=unit is not None)
    from_name = " ".join(x for x in (sender.unit, sender.name) if x) or None
    return MailDraft(t.id, month, unit, resolve_recipient(db, t), subject_for(name, month), body, sender.email,
                     from_name, atts, counts.project_ids, tuple(unfilled_projects(db, t, month, unit)))


def finish_mail(d: MailDraft, *, to: str, subject: str, body: str, draft: bool):  # type: ignore[no-untyped-def]
    """The message as the clerk left it in the dialog. Raises MailError for a bad address."""
    from ..mail.compose import MailError, build_message, check_address, message_bytes
    from ..mail.monthly import OutgoingMail

    recipient = check_address(to.strip())
    if not subject.strip():
        raise MailError("config", "邮件主题不能为空。")
    sender = d.from_addr
    if not draft:
        sender = check_address(d.from_addr, "发件人")
    msg = build_message(to=recipient, subject=subject.strip(), body=body, attachments=d.attachments,
                        from_addr=sender, from_name=d.from_name, draft=draft)
    return OutgoingMail(d.list_id, d.month, d.unit, recipient, sender, subject.strip(), message_bytes(msg),
                        d.attachments, d.project_ids)
