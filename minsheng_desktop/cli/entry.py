"""The program's entry point: parse the command line (argparse), then open the window or run one command.

This module is its own layer above the window and the commands (pyproject.toml, contract "layers"): it is the only
part of the command line that may open the window (gui.app.run). Every command's options are declared here; each
command runs in its own module beside it (import_targets.py, dump.py, backup.py, export.py, mail.py, collect.py).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..logs import configure_logging, setup_logging
from ..services.database import SelectionError, StoreError
from ..services.formats import FORMATS
from .chinese_argparse import ChineseParser
from .common import EXIT_BAD_INPUT, EXIT_BUG, UsageError, add_db_option, add_selection

log = logging.getLogger("minsheng.cli")
Command = Callable[[argparse.Namespace], int]


def cmd_gui(args: argparse.Namespace) -> int:
    if args.db:
        os.environ["MINSHENG_DB"] = str(Path(args.db).resolve())
    from ..gui.app import run  # deferred: only the window needs Qt, and the command line never loads it

    return run([sys.argv[0]])


def _command(module: str, name: str) -> Command:
    """The function ``name`` of cli/<module>.py, imported when its command runs.

    Deferred because building the parser happens on every start: importing what the commands use there would
    load the importers and lxml (services.importing, ~45 ms) into the window's start and every other command."""

    def run(args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(f"{__package__}.{module}"), name)(args))

    return run


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (package metadata costs ~20 ms to load)."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        from ..version import version  # deferred: see the docstring

        print(f"minsheng {version()}")
        parser.exit()


class _Parser(ChineseParser):
    error_class = UsageError


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="minsheng", description="民生实事台账：导入目标任务、按月填报、导出报表。")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="显示版本号并退出")
    add_db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def add(name: str, fn: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_db_option(p, sub=True)
        p.set_defaults(func=fn)
        return p

    add("gui", cmd_gui, "打开窗口")
    p = add("import-targets", _command("import_targets", "cmd_import"), "导入年度目标任务：通知或目标任务表（.docx .xlsx .xls "
            ".et .doc .wps、PDF、扫描件、网页 .html/.mhtml，或通知各页的照片）")
    p.add_argument("file", metavar="FILE", nargs="+",
                   help="通知文件；照片或扫描图片可以给多个（按页序），或给放照片的文件夹")
    add_selection(p)
    p.add_argument("--dry-run", action="store_true", help="只显示将要导入的内容，不写入")
    p = add("dump", _command("dump", "cmd_dump"), "以 JSON 输出数据库内容")
    add_selection(p)
    p.add_argument("--out", metavar="PATH", help="写入文件而不是标准输出")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("load", _command("dump", "cmd_load"), "把 dump 导出的 JSON 合并进数据库")
    p.add_argument("file", metavar="FILE.json")
    p = add("backup", _command("backup", "cmd_backup"), "备份数据库")
    p.add_argument("--out", metavar="PATH")
    p.add_argument("--force", action="store_true")
    p = add("restore", _command("backup", "cmd_restore"), "从备份恢复数据库（当前数据库先另存）")
    p.add_argument("file", metavar="FILE")
    add("check", _command("backup", "cmd_check"), "检查数据库完整性")
    _add_export(add("export", _command("export", "cmd_export"),
                    "导出月度推进情况表（xlsx/docx）、报送函（letter）或季度通报（bulletin）"))
    _add_mail(add("mail", _command("mail", "cmd_mail"), "生成或发送本月报送邮件（附推进情况表和报送函）"))
    p = add("units", _command("units", "cmd_units"), "单位通讯录：列出，或用 load 从 .xlsx/.csv（单位、联系人、电话、邮箱）导入")
    p.add_argument("action", nargs="?", choices=("load",), metavar="load", help="从文件导入（合并进通讯录）")
    p.add_argument("file", nargs="?", metavar="FILE", help=".xlsx 或 .csv 文件")
    _add_remind(add("remind", _command("remind", "cmd_remind"),
                    "发展改革委用：给本月尚未报送的牵头单位写催报邮件草稿或直接发送"))
    p = add("settings", _command("settings", "cmd_settings"),
            "显示或修改窗口中的设置（单位、联系人、邮箱、服务器）；不含密码")
    p.add_argument("key", nargs="?", metavar="KEY", help="设置项，例如 unit、from、smtp；不给时列出全部")
    p.add_argument("value", nargs="?", metavar="VALUE", help="新的值；给空字符串 \"\" 清除该项")
    p = add("plan", _command("plan", "cmd_plan"), "实施方案：plan load FILE.xlsx 载入填好的实施方案表"
            "（export --format plan 导出的表格）")
    p.add_argument("action", choices=("load",), metavar="load", help="载入")
    p.add_argument("file", metavar="FILE.xlsx")
    add_selection(p)
    p = add("collect", _command("collect", "cmd_collect"), "汇总各牵头单位报送的月报（本程序导出的 .xlsx 或 dump 的 "
            ".json；或用 --imap 从收件箱收取）")
    p.add_argument("files", nargs="*", metavar="FILE", help="各单位报送的文件；用 --imap 时不给")
    add_selection(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="汇总的月份，例如 2023-05")
    p.add_argument("--dry-run", action="store_true", help="只显示汇总结果，不写入（邮箱也不改动）")
    _add_imap(p)
    return parser


def _formats_with(attribute: str, sep: str = " / ") -> str:
    """The formats with ``attribute`` set, for a help text: docx / bulletin."""
    return sep.join(k for k, f in FORMATS.items() if getattr(f, attribute))


def _add_export(p: argparse.ArgumentParser) -> None:
    add_selection(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，例如 2023-05")
    p.add_argument("--format", required=True, choices=tuple(FORMATS), help=" | ".join(FORMATS))
    p.add_argument("--out", required=True, metavar="PATH", help="输出文件；给出文件夹时按单位和月份自动命名")
    p.add_argument("--unit", metavar="NAME", help="只导出该单位牵头的项目")
    p.add_argument("--template", metavar="FILE",
                   help="按发展改革委下发的空白表格（.xlsx 配 --format xlsx，.docx 配 --format docx）填写本次导出；"
                        "不给时使用已记住的单位模板，没有则用内置格式")
    p.add_argument("--remember-template", action="store_true",
                   help="与 --template 同用：记住该模板（按目标任务清单保存），以后导出同一格式时自动使用")
    p.add_argument("--district", action="store_true",
                   help="发展改革委汇总用：表格附按项目的完成情况图（xlsx 为原生图表，docx/通报为图片）")
    p.add_argument("--photos", action="store_true", help=f"{_formats_with('takes_photos')}：附上本月佐证照片及说明")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _add_smtp(p: argparse.ArgumentParser) -> None:
    """--smtp, --ssl/--starttls, --user and --from, as mail and remind take them."""
    p.add_argument("--smtp", metavar="HOST:PORT", help="发信服务器，例如 smtp.qq.com:465")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--ssl", dest="security", action="store_const", const="ssl", help="SSL 加密连接（通常 465 端口）")
    tls.add_argument("--starttls", dest="security", action="store_const", const="starttls",
                     help="STARTTLS 加密连接（通常 587 端口）")
    p.add_argument("--user", metavar="NAME", help="邮箱账号（密码取自 $MINSHENG_SMTP_PASSWORD 或系统钥匙串）")
    p.add_argument("--from", dest="from_addr", metavar="ADDR",
                   help="发件人邮箱（默认：--user 为邮箱地址时用它，其次为设置中的发件人）")


def _add_imap(p: argparse.ArgumentParser) -> None:
    """collect's mailbox options: where to read the month's returns, and what may change in the mailbox."""
    p.add_argument("--imap", metavar="HOST:PORT", help="收信服务器，例如 imap.qq.com:993（密码取自 "
                   "$MINSHENG_IMAP_PASSWORD 或系统钥匙串）")
    p.add_argument("--user", metavar="NAME", help="收信邮箱账号")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--ssl", dest="security", action="store_const", const="ssl", help="SSL 加密连接（通常 993 端口）")
    tls.add_argument("--starttls", dest="security", action="store_const", const="starttls",
                     help="STARTTLS 加密连接（通常 143 端口）")
    tls.add_argument("--plain", dest="security", action="store_const", const="plain",
                     help="不加密（只用于本机的测试服务器）")
    p.add_argument("--folder", metavar="NAME", help="读取的文件夹（默认 INBOX，即收件箱）")
    p.add_argument("--mark-read", action="store_true", help="把已收取的邮件标为已读（默认不改动邮箱）")
    p.add_argument("--move-to", metavar="FOLDER", help="把已收取的邮件移到该文件夹（须已存在；默认不改动邮箱）")


def _add_remind(p: argparse.ArgumentParser) -> None:
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="催报的月份，例如 2023-05")
    add_selection(p)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--eml", metavar="DIR", help="把催报邮件草稿（.eml，每个单位一封）写入该文件夹")
    how.add_argument("--send", action="store_true", help="通过 SMTP 直接发送")
    _add_smtp(p)
    p.add_argument("--force", action="store_true", help="今天已催报过的单位也再催报一次")


def _add_mail(p: argparse.ArgumentParser) -> None:
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="报送月份，例如 2023-05")
    add_selection(p)
    p.add_argument("--unit", metavar="NAME", help="只报送该单位牵头的项目")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--eml", metavar="PATH", help="写出邮件草稿（.eml），可用 Outlook、Foxmail、Thunderbird 打开")
    how.add_argument("--send", action="store_true", help="通过 SMTP 发送")
    p.add_argument("--to", metavar="ADDR", help="收件人邮箱（默认为上次报送本清单时的收件人，其次为设置中的收件人、通知中的"
                                                 "联系人；写出草稿或发出后记住）")
    _add_smtp(p)
    p.add_argument("--force", action="store_true", help="覆盖已存在的 .eml 文件")


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; without a command it is the window's (`minsheng`, `minsheng --db F`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    return args


def _error_line(exc: BaseException) -> str | None:
    """The one line for a known kind of bad input, or None for a bug."""
    # Wait until a command has failed: at the top these would load the importers (~45 ms) and the backup tools
    # into every start of the window and every command.
    from ..services.backup import BackupError  # deferred: see above
    from ..services.dump import LoadError  # deferred: see above
    from ..services.importing import ImportFailure  # deferred: see above

    known = (UsageError, ImportFailure, StoreError, LoadError, SelectionError, BackupError)
    return str(exc) if isinstance(exc, known) else None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(argv)
        configure_logging()
        return int(args.func(args))
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BaseException as exc:  # noqa: BLE001 - the last line of defence for the clerk
        try:
            line = _error_line(exc)
        except Exception:  # the error classes themselves could not load: treat as a bug
            line = None
        if line is not None:
            print(line, file=sys.stderr)
            return EXIT_BAD_INPUT
        logfile = setup_logging()
        log.exception("unexpected error in %s", argv[:1])
        print(f"程序出错（{type(exc).__name__}），详细信息已写入日志：{logfile}", file=sys.stderr)
        return EXIT_BUG
