"""The program's entry point: parse the command line (argparse), then open the window or run one command.

This module is its own layer above the window and the commands (pyproject.toml, contract "layers"): it is the only
part of the command line that may open the window (gui.app.run). The commands live in import_targets.py,
dump.py, backup.py and collect.py beside it, and in cli_export.py and cli_mail.py, which register their own options.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .. import cli_export, cli_mail
from ..logs import configure_logging, setup_logging
from ..services.database import SelectionError, StoreError
from .common import EXIT_BAD_INPUT, EXIT_BUG, UsageError, add_db_option, add_selection, open_db, write_out

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
        from .. import __version__  # deferred: see the docstring

        print(f"minsheng {__version__}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"命令行参数有误：{message}。用 minsheng --help 查看用法。")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="minsheng", description="民生实事台账：导入目标任务、按月填报、导出报表。")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="显示版本号并退出")
    add_db_option(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

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
    # export and mail declare their own options (they are to move into this package: see README, "Layout").
    for module in (cli_export, cli_mail):
        module.register(add, add_selection, UsageError, open_db, write_out)
    p = add("collect", _command("collect", "cmd_collect"), "汇总各牵头单位报送的月报（本程序导出的 .xlsx 或 dump 的 "
            ".json）")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_selection(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="汇总的月份，例如 2023-05")
    p.add_argument("--dry-run", action="store_true", help="只显示汇总结果，不写入")
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; without a command it is the window's (`minsheng`, `minsheng --db F`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    return args


def _error_line(exc: BaseException) -> str | None:
    """The one line for a known kind of bad input, or None for a bug."""
    # Deferred to when a command has failed: at the top these would load the importers (~45 ms) and the backup
    # tools into every start of the window and every command.
    from ..services.backup import BackupError
    from ..services.dump import LoadError
    from ..services.importing import ImportFailure

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
