"""`minsheng mail`: the month's report e-mail to the 发展改革委 contact, as an .eml draft or sent over SMTP.

The options are declared in entry.py with the other commands'; this module runs the command."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..services.database import select_list
from ..services.export import month_attachments, unfilled_note, unfilled_projects
from ..services.mailing import MailError, build_month_mail, remember_recipient
from ..services.outbox import send_mail
from .common import EXIT_OK, UsageError, open_db, write_out
from .smtp_options import smtp_password, smtp_settings


def cmd_mail(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month or ""):
        raise UsageError(f"--month “{args.month}”格式不对：应为 YYYY-MM，例如 2023-05。")
    with open_db(args) as db:
        target_list = select_list(db, args.year, args.region)
        try:
            settings = smtp_settings(args, db) if args.send else None
            password = smtp_password(settings.user) if settings is not None else None
            files = month_attachments(db, target_list, args.month, args.unit)
            mail = build_month_mail(db, target_list, args.month, files, unit=args.unit, to=args.to,
                                    draft=not args.send,
                                    require_from=bool(args.send), from_addr=args.from_addr,
                                    user=settings.user if settings is not None else None)
            missing = unfilled_note(unfilled_projects(db, target_list, args.month, args.unit), args.month,
                                    args.unit)
            hint = f"提示：{missing}附件中列出其最近一次填报的数据并注明月份。" if missing else ""
            if args.eml:
                write_out(Path(args.eml), mail.data, args.force)
                remember_recipient(db, target_list.id, mail.recipient)  # proposed again next month (per list)
                print(f"已写出邮件草稿：{args.eml}（收件人 {mail.recipient}，附件 {len(mail.attachments)} 个）")
                if hint:
                    print(hint, file=sys.stderr)
                return EXIT_OK

            def progress(text: str, _fraction: float) -> None:
                print(text, file=sys.stderr)

            # The command line does not queue a failed send: a failing command writes nothing (cli.md),
            # and running it again makes the attachments afresh.
            outcome = send_mail(db, mail, settings, password, progress=progress, queue_on_failure=False)
        except MailError as err:
            raise UsageError(err.message) from None
        if not outcome.sent:
            assert outcome.error is not None
            raise UsageError(outcome.error.message)
        remember_recipient(db, target_list.id, mail.recipient)
        print(f"已发送：{mail.subject} → {mail.recipient}（附件 {len(mail.attachments)} 个，"
              f"{len(mail.project_ids)} 个项目的月报已标记为已报送）")
        if hint:
            print(hint, file=sys.stderr)
    return EXIT_OK
