"""Reminders (催报) for the 发展改革委 contact: every lead unit that has not reported the month and has an address
in the units' address book gets a short, polite message naming its projects and the deadline from the notice —
as .eml drafts in a folder, or sent over SMTP. Each reminder written or sent is logged; a second run the same day
leaves out the units already reminded that way, unless forced.

A reminder is not the month's report: it never enters the sent log and marks no report as sent. A send that
cannot reach the server (offline, server down) waits in the 发件箱 like any message and is logged when it goes out
from there; one the server refuses (password, address) is listed with its reason and not logged, so running the
command again retries it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import fileio
from ..domain import schedule
from ..domain.model import TargetList
from ..domain.status import is_blank
from ..domain.units import unit_key, unreported_units
from ..exporters.naming import safe_filename
from ..mail.compose import check_address
from ..mail.remind import ReminderFacts, compose_reminder
from ..mail.send import SmtpSettings
from ..storage import reports as report_repo
from ..storage import repo
from ..storage import units as unit_rows
from ..storage.db import Database
from .holidays import work_calendar
from .mailing import sender_info
from .outbox import queue, send_mail

OFFLINE = ("unreachable",)  # MailError kinds that mean "no connection now": the reminder waits in the 发件箱

__all__ = ["RemindPlan", "RemindResult", "plan_reminders", "send_reminders", "write_reminder_drafts"]


@dataclass(frozen=True)
class RemindPlan:
    """Who is reminded of the month, and who cannot be."""

    deadline: dt.date
    due: list[tuple[ReminderFacts, str]]  # (what the reminder says, the unit's address)
    no_address: list[str]  # units that have not reported and have no address in the book
    already: list[str]  # units reminded today this way (left out unless forced)


@dataclass
class RemindResult:
    plan: RemindPlan
    done: list[tuple[str, str]] = field(default_factory=list)  # (unit, the .eml written or the address sent to)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (unit, why)
    queued: list[tuple[str, str]] = field(default_factory=list)  # (unit, why): waiting in the 发件箱

    def lines(self, how: str, again: str = "") -> list[str]:
        """The summary a clerk reads (the command prints it; the window shows it); ``again`` says how to remind
        once more a unit already reminded today."""
        verb = "已写出催报邮件草稿" if how == "eml" else "已发送催报邮件"
        out = [f"{verb}：{unit} → {where}" for unit, where in self.done]
        out += [f"未能发送：{unit}（{why}）" for unit, why in self.failed]
        out += [f"暂未发出，已放入发件箱（联网后在“发件箱”中重发）：{unit}（{why}）" for unit, why in self.queued]
        if self.plan.already:
            out.append(f"今天已催报过，未重复{'写出' if how == 'eml' else '发送'}：{'、'.join(self.plan.already)}"
                       + again)
        if self.plan.no_address:
            out.append(f"通讯录中没有邮箱，未催报：{'、'.join(self.plan.no_address)}"
                       "（可用 minsheng units load 文件 补充，或在“单位通讯录”中填写）")
        if not (self.done or self.failed or self.queued or self.plan.already or self.plan.no_address):
            out.append("所有牵头单位都已报送本月推进情况，无需催报。")
        return out


def plan_reminders(db: Database, target_list: TargetList, month: str, how: str, *, force: bool = False,
                   today: dt.date | None = None) -> RemindPlan:
    """The reminders due for ``month`` (how: "eml" or "send"), read from the database; nothing is written."""
    day = today or dt.date.today()
    projects = repo.load_projects(db, target_list.id, include_withdrawn=False)
    reported = {r.project_id for r in report_repo.reports_for_list(db, target_list.id,
                                                                   month) if not is_blank(r)}
    missing = unreported_units(projects, reported)
    book = {unit_key(u.name): u for u in unit_rows.list_units(db)}
    done_today = unit_rows.reminded(db, target_list.id, month, day.isoformat(), how)
    deadline = schedule.deadline(month, target_list.report_due, work_calendar(db))
    due, no_address, already = [], [], []
    for unit, ps in missing.items():
        entry = book.get(unit_key(unit))
        if entry is None or not entry.email:
            no_address.append(unit)
            continue
        if unit in done_today and not force:
            already.append(unit)
            continue
        facts = ReminderFacts(target_list.id, target_list.region, target_list.year, target_list.notice_title,
                              month, unit, entry.contact,
                              tuple(f"{p.number}.{p.name}" if p.number else p.name for p in ps), deadline)
        due.append((facts, entry.email))
    return RemindPlan(deadline, due, no_address, already)


def write_reminder_drafts(db: Database, target_list: TargetList, month: str, folder: Path, *,
                          force: bool = False,
                          from_addr: str | None = None, today: dt.date | None = None) -> RemindResult:
    """One .eml draft per unit into ``folder`` (written whole or not at all), each logged."""
    day = today or dt.date.today()
    plan = plan_reminders(db, target_list, month, "eml", force=force, today=day)
    sender = sender_info(db, from_addr)
    result = RemindResult(plan)
    for facts, address in plan.due:
        mail = compose_reminder(facts, recipient=address, sender=sender, draft=True, today=day)
        path = folder / safe_filename(f"催报_{facts.unit}_{month}.eml")
        try:
            fileio.atomic_write_bytes(path, mail.data)
        except (fileio.OutputLocked, OSError) as exc:
            result.failed.append((facts.unit, fileio.write_failure_message(path, exc)))
            continue
        unit_rows.log_reminder(db, target_list.id, month, facts.unit, address, "eml", day.isoformat())
        result.done.append((facts.unit, str(path)))
    return result


def send_reminders(db: Database, target_list: TargetList, month: str, settings: SmtpSettings,
                   password: str | None, *,
                   force: bool = False, from_addr: str | None = None, today: dt.date | None = None,
                   progress: Callable[[str], None] | None = None) -> RemindResult:
    """Send each reminder over SMTP; each one the server accepted is logged at once, a failure is listed."""
    day = today or dt.date.today()
    plan = plan_reminders(db, target_list, month, "send", force=force, today=day)
    sender = sender_info(db, from_addr, settings.user)
    check_address(sender.email, "发件人", "请用 --from 指定，或设置发件人（minsheng settings from 地址）")
    result = RemindResult(plan)
    for facts, address in plan.due:
        mail = compose_reminder(facts, recipient=address, sender=sender, draft=False, today=day)
        if progress is not None:
            progress(f"正在发送给{facts.unit}（{address}）…")
        outcome = send_mail(db, mail, settings, password, queue_on_failure=False)
        if outcome.sent:
            result.done.append((facts.unit, address))
        elif outcome.error is not None and outcome.error.kind in OFFLINE:
            queue(db, mail, outcome.error.message)
            result.queued.append((facts.unit, outcome.error.message))
        else:
            result.failed.append((facts.unit, outcome.error.message if outcome.error else "未知原因"))
    return result
