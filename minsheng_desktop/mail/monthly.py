"""The month's report e-mail from the database: recipient, sender, counts, subject, body, attachments."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..domain.model import STATUS_LABELS, TargetList
from ..domain.status import is_blank, is_reportable
from ..storage import repo
from ..storage import reports as report_repo
from ..storage.db import Database
from .compose import Attachment, MailError, build_message, check_address, message_bytes, month_label, subject_for

__all__ = ["MonthCounts", "OutgoingMail", "Sender", "build_month_mail", "month_counts", "resolve_recipient",
           "sender_info"]

_STATUS_ORDER = ("done", "on_track", "lagging", "not_started", "withdrawn")


@dataclass(frozen=True)
class Sender:
    """Who sends: the reporting unit, the clerk's name and phone (settings), the From address."""

    unit: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class MonthCounts:
    projects: int
    reported: int
    by_status: dict[str, int]
    project_ids: tuple[str, ...]  # the projects whose report for the month goes out in this mail


@dataclass(frozen=True)
class OutgoingMail:
    """A composed message and what it stands for; plain data, safe to hand to a worker thread."""

    list_id: int | None
    month: str
    unit: str | None
    recipient: str
    from_addr: str | None
    subject: str
    data: bytes  # the message as it goes on the wire (and into the .eml)
    attachments: tuple[Attachment, ...]
    project_ids: tuple[str, ...]


def resolve_recipient(db: Database, t: TargetList) -> str | None:
    """Per-list override ``mail_to:{id}``, then ``mail_to``, then the contact the notice named."""
    for key in (f"mail_to:{t.id}", "mail_to"):
        value = repo.get_setting(db, key)
        if value and value.strip():
            return value.strip()
    return t.contact.email if t.contact and t.contact.email else None


def sender_info(db: Database) -> Sender:
    from_addr = repo.get_setting(db, "smtp_from") or None
    user = repo.get_setting(db, "smtp_user") or None
    if not from_addr and user and "@" in user:
        from_addr = user
    return Sender(repo.get_setting(db, "reporter_unit") or None, repo.get_setting(db, "reporter_name") or None,
                  repo.get_setting(db, "reporter_phone") or None, from_addr)


def month_counts(db: Database, list_id: int, month: str, unit: str | None = None) -> MonthCounts:
    """Live projects (led by ``unit`` when given) and their reports for the month, counted by status."""
    projects = [p for p in repo.load_projects(db, list_id, include_withdrawn=False) if is_reportable(p, unit)]
    wanted = {p.id for p in projects}
    reports = [r for r in report_repo.reports_for_list(db, list_id, month)
               if r.project_id in wanted and not is_blank(r)]
    by_status = Counter(r.status or "unknown" for r in reports)
    return MonthCounts(len(projects), len(reports), dict(by_status), tuple(r.project_id for r in reports))


def _salutation(t: TargetList) -> str:
    """The office by its name (TargetList.office: 区发展改革委), or the contact person the notice names alone."""
    c = t.contact
    if c and c.name and not c.unit:
        return f"{c.name}同志："
    return f"{t.office}："


def compose_body(t: TargetList, month: str, unit: str, counts: MonthCounts, sender: Sender,
                 attachments: list[Attachment] | tuple[Attachment, ...], today: dt.date | None = None,
                 scoped: bool = False) -> str:
    """A short letter in the tone of a 函: who reports which month, how many projects, who to call."""
    scope = f"{unit}牵头的" if scoped else ""
    parts = [f"{STATUS_LABELS.get(s, s)}{counts.by_status[s]}个" for s in _STATUS_ORDER if counts.by_status.get(s)]
    if counts.by_status.get("unknown"):
        parts.append(f"未填写状态{counts.by_status['unknown']}个")
    line = (f"    现将{unit}{month_label(month)}民生实事项目推进情况报送如下：{scope}{t.year}年民生实事项目"
            f"共{counts.projects}个，本月已填报{counts.reported}个")
    line += ("，其中" + "、".join(parts) + "。") if parts else "。"
    if counts.reported < counts.projects:
        line += f"尚有{counts.projects - counts.reported}个项目本月未填报。"
    lines = [_salutation(t), "", line + "具体情况详见附件。", ""]
    if attachments:
        lines.append("    附件：" + "\n          ".join(f"{i}. {a.filename}" for i, a in enumerate(attachments, 1)))
        lines.append("")
    contact = "，".join(x for x in (f"联系人：{sender.name}" if sender.name else "",
                                    f"联系电话：{sender.phone}" if sender.phone else "") if x)
    if contact:
        lines += [f"    {contact}。", ""]
    day = today or dt.date.today()
    lines += ["", f"{sender.unit or unit}", f"{day.year}年{day.month}月{day.day}日", ""]
    return "\n".join(lines)


def build_month_mail(db: Database, t: TargetList, month: str, attachments: list[Attachment] | list[tuple[str, bytes]],
                     *, unit: str | None = None, to: str | None = None, draft: bool = False,
                     require_from: bool = False, today: dt.date | None = None) -> OutgoingMail:
    """Compose the month's e-mail to the 发展改革委 contact. ``attachments`` are made fresh by the caller."""
    atts = tuple(a if isinstance(a, Attachment) else Attachment(a[0], a[1]) for a in attachments)
    recipient = check_address(to or resolve_recipient(db, t))
    sender = sender_info(db)
    if require_from:
        check_address(sender.email, "发件人")
    name = unit or sender.unit or t.region
    counts = month_counts(db, t.id, month, unit)
    if counts.reported == 0:
        raise MailError("empty", f"{name}{month_label(month)}还没有填报任何月报：请先填报后再报送。")
    subject = subject_for(name, month)
    body = compose_body(t, month, name, counts, sender, atts, today, scoped=unit is not None)
    from_name = " ".join(x for x in (sender.unit, sender.name) if x) or None
    msg = build_message(to=recipient, subject=subject, body=body, attachments=atts, from_addr=sender.email,
                        from_name=from_name, draft=draft)
    return OutgoingMail(t.id, month, unit, recipient, sender.email, subject, message_bytes(msg), atts,
                        counts.project_ids)
