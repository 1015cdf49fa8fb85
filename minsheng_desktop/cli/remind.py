"""`minsheng remind`: a reminder (催报) to every lead unit that has not reported the month, as .eml drafts or sent."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..services.database import select_list
from ..services.mailing import MailError
from ..services.remind import send_reminders, write_reminder_drafts
from .common import EXIT_OK, UsageError, open_db
from .smtp_options import smtp_password, smtp_settings


def cmd_remind(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month or ""):
        raise UsageError(f"--month “{args.month}”格式不对：应为 YYYY-MM，例如 2023-05。")
    with open_db(args) as db:
        target_list = select_list(db, args.year, args.region)
        if int(args.month[:4]) != target_list.year:
            raise UsageError(f"--month {args.month} 不在{target_list.label}的目标任务年度内：请用 {target_list.year}-MM。")
        if args.eml:
            folder = Path(args.eml)
            if folder.exists() and not folder.is_dir():
                raise UsageError(f"--eml “{folder}”是一个文件：请给出存放草稿的文件夹。")
            result = write_reminder_drafts(db, target_list, args.month, folder, force=args.force,
                                           from_addr=args.from_addr)
            how = "eml"
        else:
            settings = smtp_settings(args, db)
            password = smtp_password(settings.user)
            try:
                result = send_reminders(db, target_list, args.month, settings, password, force=args.force,
                                        from_addr=args.from_addr, progress=lambda text: print(text, file=sys.stderr))
            except MailError as err:
                raise UsageError(err.message) from None
            how = "send"
    for line in result.lines(how, again="（如需再次催报请加 --force）"):
        print(line)
    if result.failed and not (result.done or result.queued):
        return 2  # nothing went out: the clerk must look (the reasons are printed above)
    return EXIT_OK
