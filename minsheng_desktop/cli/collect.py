"""`minsheng collect`: the units' returned reports into the district's list for a month — from files, or with
--imap from the month's messages in the mailbox (each message once; the mailbox changes only with --mark-read or
--move-to, and only after the reports are stored)."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from pathlib import Path

from ..services.collect import CollectError, analyse, apply_collect, summary_lines
from ..services.collect_mail import (
    IMAP_ENV_VAR, ImapSettings, MailError, apply_mail, gather, get_imap_password, load_imap_settings, mail_lines,
    mark_taken,
)
from ..services.database import Database
from .common import EXIT_OK, UsageError, open_db

_SERVER = re.compile(r"\s*([^:\s]+)(?::(\d{1,5}))?\s*")


def cmd_collect(args: argparse.Namespace) -> int:
    imap = getattr(args, "imap", None)
    if args.files and imap:
        raise UsageError("不能同时给出文件和 --imap：请二选一（汇总文件，或从邮箱收取）。")
    if not args.files and not imap:
        raise UsageError("没有要汇总的文件：请给出各单位报送的文件，或用 --imap 服务器:端口 --user 账号 从邮箱收取。")
    if not imap and (args.mark_read or args.move_to or args.folder):
        raise UsageError("--mark-read、--move-to、--folder 只能与 --imap 一起使用。")
    if imap:
        return _collect_mail(args)
    month = (args.month or "").strip()
    with open_db(args) as db:
        try:
            result = analyse(db, [Path(f) for f in args.files], month, year=args.year, region=args.region)
        except CollectError as exc:
            raise UsageError(str(exc)) from None
        lines = summary_lines(result)
        if args.dry_run:
            print("（试运行：以下为汇总结果，未写入数据库）")
            print("\n".join(lines))
            return EXIT_OK
        stats = apply_collect(db, result)
    _print_written(lines, result.target_list.label, month, stats.written)
    return EXIT_OK


def _print_written(lines: list[str], label: str, month: str, written: int) -> None:
    """The summary, with how many reports were written before its last line (the units not yet reported)."""
    print("\n".join(lines[:-1]))
    print(f"已写入{label} {month} 的月报 {written} 条" + ("（内容与数据库一致，未作改动）" if not written else ""))
    print(lines[-1])


def _imap_settings(args: argparse.Namespace, db: Database) -> ImapSettings:
    """--imap HOST[:PORT], --ssl/--starttls/--plain, --user and --folder over the stored receiving settings."""
    m = _SERVER.fullmatch(args.imap)
    if not m or not 0 < int(m.group(2) or 993) < 65536:
        raise UsageError(f"--imap “{args.imap}”格式不对：应为 服务器:端口，例如 imap.qq.com:993。")
    stored = load_imap_settings(db)
    host, port = m.group(1), int(m.group(2) or 993)
    same = stored.host == host and stored.port == port
    security = args.security or (stored.security if same else ("ssl" if port == 993 else "starttls"))
    user = args.user or stored.user
    if not user:
        raise UsageError("没有收信账号：请用 --user 指定邮箱账号（例如 fgw@example.gov.cn）。")
    return ImapSettings(host=host, port=port, security=security, user=user, folder=args.folder or "INBOX")


def _password(user: str) -> str:
    pw = get_imap_password(user)
    if pw is None and sys.stdin is not None and sys.stdin.isatty():
        pw = getpass.getpass(f"请输入邮箱 {user} 的密码（授权码）：")
    if not pw:
        raise UsageError(f"没有找到邮箱 {user} 的密码：请设置环境变量 {IMAP_ENV_VAR}，或在窗口的“收取报送邮件”中"
                         "保存到系统钥匙串。")
    return pw


def _collect_mail(args: argparse.Namespace) -> int:
    month = (args.month or "").strip()
    with open_db(args) as db:
        settings = _imap_settings(args, db)
        password = _password(settings.user or "")
        try:
            mc = gather(db, settings, password, month, year=args.year, region=args.region)
        except (CollectError, MailError) as exc:
            raise UsageError(str(exc)) from None
        lines = mail_lines(mc)
        if args.dry_run:
            print("（试运行：以下为收取结果，未写入数据库，邮箱未改动）")
            print("\n".join(lines))
            return EXIT_OK
        stats = apply_mail(db, mc)
    _print_written(lines, mc.result.target_list.label, month, stats.written)
    if args.mark_read or args.move_to:
        try:
            n = mark_taken(mc, password, mark_read=args.mark_read, move_to=args.move_to)
        except MailError as exc:
            raise UsageError(f"月报已写入，但整理邮箱时出错：{exc}") from None
        done = "、".join(w for w, on in (("标为已读", args.mark_read), (f"移到“{args.move_to}”", args.move_to)) if on)
        print(f"已把收取的 {n} 封邮件{done}。")
    else:
        print("邮箱未作任何改动。")
    return EXIT_OK
