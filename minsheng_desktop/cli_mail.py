"""`minsheng mail`: the month's report e-mail to the 发展改革委 contact, as an .eml draft or sent over SMTP."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services.database import Database

__all__ = ["month_attachments", "register"]


def month_attachments(*args, **kwargs):  # type: ignore[no-untyped-def]
    """reporting.month_attachments, imported when a mail is made: building the parser for any command (the
    window's start included) must not import email and the exporters."""
    from .services.export import month_attachments as attachments

    return attachments(*args, **kwargs)


def register(add: Callable[..., argparse.ArgumentParser], selection: Callable[[argparse.ArgumentParser], None],
             usage_error: type[Exception], open_db: Callable[[argparse.Namespace], Database],
             write_out: Callable[[Path, bytes, bool], None]) -> None:
    def cmd_mail(args: argparse.Namespace) -> int:
        return _run(args, usage_error, open_db, write_out)

    p = add("mail", cmd_mail, "生成或发送本月报送邮件（附推进情况表和报送函）")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="报送月份，例如 2023-05")
    selection(p)
    p.add_argument("--unit", metavar="NAME", help="只报送该单位牵头的项目")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--eml", metavar="PATH", help="写出邮件草稿（.eml），可用 Outlook、Foxmail、Thunderbird 打开")
    how.add_argument("--send", action="store_true", help="通过 SMTP 发送")
    p.add_argument("--to", metavar="ADDR", help="收件人邮箱（默认为上次报送本清单时的收件人，其次为设置中的收件人、通知中的"
                                                 "联系人；写出草稿或发出后记住）")
    p.add_argument("--smtp", metavar="HOST:PORT", help="发信服务器，例如 smtp.qq.com:465")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--ssl", dest="security", action="store_const", const="ssl", help="SSL 加密连接（通常 465 端口）")
    tls.add_argument("--starttls", dest="security", action="store_const", const="starttls",
                     help="STARTTLS 加密连接（通常 587 端口）")
    p.add_argument("--user", metavar="NAME", help="邮箱账号（密码取自 $MINSHENG_SMTP_PASSWORD 或系统钥匙串）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的 .eml 文件")


def _smtp_settings(args: argparse.Namespace, db: Database, usage_error: type[Exception]):  # type: ignore[no-untyped-def]
    from .services.mailing import SmtpSettings
    from .services.outbox import load_smtp_settings

    stored = load_smtp_settings(db)
    settings = stored or SmtpSettings(host="")
    if args.smtp:
        m = re.fullmatch(r"\s*([^:\s]+):(\d{1,5})\s*", args.smtp)
        if not m:
            raise usage_error(f"--smtp “{args.smtp}”格式不对：应为 服务器:端口，例如 smtp.qq.com:465。")
        port = int(m.group(2))
        security = args.security or ("ssl" if port == 465 else "starttls")
        settings = settings.with_(host=m.group(1), port=port, security=security)
    elif args.security:
        settings = settings.with_(security=args.security)
    if args.user:
        settings = settings.with_(user=args.user)
    if not settings.host:
        raise usage_error("没有发信服务器：请用 --smtp 服务器:端口 指定，或在窗口的“邮件设置”中填写。")
    return settings


def _password(user: str | None, usage_error: type[Exception]) -> str | None:
    from .services.mailing import ENV_VAR, get_password

    if not user:
        return None
    pw = get_password(user)
    if pw is None:
        if sys.stdin is not None and sys.stdin.isatty():
            import getpass

            pw = getpass.getpass(f"请输入邮箱 {user} 的密码（授权码）：")
        if not pw:
            raise usage_error(f"没有找到邮箱 {user} 的密码：请设置环境变量 {ENV_VAR}，或在窗口的“邮件设置”中保存到系统钥匙串。")
    return pw


def _run(args: argparse.Namespace, usage_error: type[Exception], open_db: Callable[[argparse.Namespace], Database],
         write_out: Callable[[Path, bytes, bool], None]) -> int:
    from .services.database import select_list
    from .services.export import unfilled_note, unfilled_projects
    from .services.mailing import MailError, build_month_mail, remember_recipient
    from .services.outbox import send_mail

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month or ""):
        raise usage_error(f"--month “{args.month}”格式不对：应为 YYYY-MM，例如 2023-05。")
    with open_db(args) as db:
        t = select_list(db, args.year, args.region)
        try:
            settings = _smtp_settings(args, db, usage_error) if args.send else None
            password = _password(settings.user, usage_error) if settings is not None else None
            files = month_attachments(db, t, args.month, args.unit)
            mail = build_month_mail(db, t, args.month, files, unit=args.unit, to=args.to, draft=not args.send,
                                    require_from=bool(args.send))
            missing = unfilled_note(unfilled_projects(db, t, args.month, args.unit), args.month, args.unit)
            hint = f"提示：{missing}附件中列出其最近一次填报的数据并注明月份。" if missing else ""
            if args.eml:
                write_out(Path(args.eml), mail.data, args.force)
                remember_recipient(db, t.id, mail.recipient)  # proposed again next month (per list)
                print(f"已写出邮件草稿：{args.eml}（收件人 {mail.recipient}，附件 {len(mail.attachments)} 个）")
                if hint:
                    print(hint, file=sys.stderr)
                return 0

            def progress(text: str, _fraction: float) -> None:
                print(text, file=sys.stderr)

            # The command line does not queue a failed send: a failing command writes nothing (cli.md),
            # and running it again makes the attachments afresh.
            outcome = send_mail(db, mail, settings, password, progress=progress, queue_on_failure=False)
        except MailError as err:
            raise usage_error(err.message) from None
        if not outcome.sent:
            assert outcome.error is not None
            raise usage_error(outcome.error.message)
        remember_recipient(db, t.id, mail.recipient)
        print(f"已发送：{mail.subject} → {mail.recipient}（附件 {len(mail.attachments)} 个，"
              f"{len(mail.project_ids)} 个项目的月报已标记为已报送）")
        if hint:
            print(hint, file=sys.stderr)
    return 0
