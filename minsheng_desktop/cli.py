"""The command line of shared/spec/cli.md, over the same core the window uses. Never imports Qt."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .logs import configure_logging, setup_logging

if TYPE_CHECKING:
    from .importers.progress import Progress

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT = 0, 1, 2
log = logging.getLogger("minsheng.cli")


class UsageError(Exception):
    """Bad input or usage: one line on stderr, exit status 2."""


def _db_path(args: argparse.Namespace) -> Path:
    from .paths import default_db_path

    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The database (services.open_database without importing services and the importers it loads: an export
    or a mail starts ~100 ms sooner)."""
    from .storage.db import Database

    return Database(_db_path(args))


def _write_out(path: Path, data: bytes, force: bool) -> None:
    """Refuse to replace a file without --force; write to a temporary name and rename.

    A file held open, a full disk or a folder we may not write to is bad input (exit 2, one line), for every
    command that writes a file (export, dump, mail --eml), not a bug."""
    from .fileio import OutputLocked, atomic_write_bytes

    if path.exists() and not force:
        raise UsageError(f"输出文件“{path}”已存在：如需覆盖请加 --force，或换一个文件名。")
    try:
        atomic_write_bytes(path, data)
    except OutputLocked as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"无法写入输出文件“{path}”（{exc.strerror or exc}）：请检查磁盘空间和文件夹的写入权限，"
                         "或换一个位置。") from None


# ------------------------------------------------------------------ commands


def _stderr_progress() -> Progress:
    """Page n of N on one rewritten stderr line, when stderr is a terminal (never in a pipe or a log)."""
    from .importers.progress import NO_PROGRESS

    if not sys.stderr.isatty():
        return NO_PROGRESS
    from .importers.progress import Progress

    def report(done: int, total: int, text: str) -> None:
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\r\033[K{text}" + (f"（{done}/{total}）" if total else "") + end)
        sys.stderr.flush()

    return Progress(report=report)


def cmd_import(args: argparse.Namespace) -> int:
    from .services.importing import apply_import, preview_import

    files = args.file[0] if len(args.file) == 1 else args.file
    with _open(args) as db:
        preview = preview_import(db, files, year=args.year, region=args.region, progress=_stderr_progress())
        lines = preview.lines()
        if args.dry_run:
            print("（试运行：以下为将要导入的内容，未写入数据库）")
        else:
            apply_import(db, preview)
            lines[0] = "已导入 " + lines[0]
        print("\n".join(lines))
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from .services.dump import dump

    with _open(args) as db:
        data = dump(db, args.year, args.region)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        _write_out(Path(args.out), text.encode("utf-8"), args.force)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from .services.dump import load

    path = Path(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"找不到文件“{path}”：请检查路径。") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"“{path.name}”不是有效的 JSON 文件（{exc}）：请使用 minsheng dump 生成的文件。") from None
    with _open(args) as db:
        stats = load(db, data, source=path.name)
    print(f"已载入“{path.name}”：写入目标任务 {stats['lists']} 份、月报 {stats['reports_written']} 条"
          + ("（内容与数据库一致，未作改动）" if not any(stats.values()) else ""))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from .services.backup import make_backup

    with _open(args) as db:
        out = make_backup(db, Path(args.out) if args.out else None, reason="manual", force=args.force)
    print(f"已备份到：{out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .services.backup import restore_backup

    aside = restore_backup(_db_path(args), Path(args.file))
    print(f"已从“{args.file}”恢复数据库；原数据库已另存为：{aside}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .services.backup import check_database

    problems = check_database(_db_path(args))
    if problems:
        for p in problems:
            print(p)
        return EXIT_BAD_INPUT
    print("数据库检查通过：完整性与外键均正常。")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    if args.db:
        os.environ["MINSHENG_DB"] = str(Path(args.db).resolve())
    from .gui.app import run  # only the window needs Qt

    return run([sys.argv[0]])


# ------------------------------------------------------------------ parser


def _common(p: argparse.ArgumentParser, *, sub: bool = False) -> None:
    # On a sub-command the option must not reset a --db given before the command name.
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
                   help="数据库文件（默认 $MINSHENG_DB 或用户数据目录）")


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, metavar="N", help="年度，例如 2023")
    p.add_argument("--region", metavar="NAME", help="区县，例如 武隆区")


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (package metadata costs ~20 ms to load)."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        from . import __version__

        print(f"minsheng {__version__}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"命令行参数有误：{message}。用 minsheng --help 查看用法。")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="minsheng", description="民生实事台账：导入目标任务、按月填报、导出报表。")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="显示版本号并退出")
    _common(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, sub=True)
        commands[name] = fn
        p.set_defaults(func=fn)
        return p

    add("gui", cmd_gui, "打开窗口")
    p = add("import-targets", cmd_import, "导入年度目标任务：通知或目标任务表（.docx .xlsx .xls .et .doc .wps、"
            "PDF、扫描件、网页 .html/.mhtml，或通知各页的照片）")
    p.add_argument("file", metavar="FILE", nargs="+",
                   help="通知文件；照片或扫描图片可以给多个（按页序），或给放照片的文件夹")
    _selection(p)
    p.add_argument("--dry-run", action="store_true", help="只显示将要导入的内容，不写入")
    p = add("dump", cmd_dump, "以 JSON 输出数据库内容")
    _selection(p)
    p.add_argument("--out", metavar="PATH", help="写入文件而不是标准输出")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("load", cmd_load, "把 dump 导出的 JSON 合并进数据库")
    p.add_argument("file", metavar="FILE.json")
    p = add("backup", cmd_backup, "备份数据库")
    p.add_argument("--out", metavar="PATH")
    p.add_argument("--force", action="store_true")
    p = add("restore", cmd_restore, "从备份恢复数据库（当前数据库先另存）")
    p.add_argument("file", metavar="FILE")
    add("check", cmd_check, "检查数据库完整性")
    _register_extensions(add)
    return parser


EXTENSION_MODULES = ("cli_export", "cli_mail", "cli_collect")


def _register_extensions(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Commands kept in their own modules (export, mail, collect) register themselves here.

    Each module has ``register(add, selection, UsageError, open_db, write_out)``."""
    import importlib

    for name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":
                continue  # not part of this build
            raise
        module.register(add, _selection, UsageError, _open, _write_out)


def _error_line(exc: BaseException) -> str | None:
    """The one line for a known kind of bad input, or None for a bug."""
    from .importers.errors import ImportFailure
    from .storage.db import StoreError

    known: tuple[type[BaseException], ...] = (UsageError, ImportFailure, StoreError)
    try:
        from .services.dump import LoadError
        from .services.database import SelectionError

        known += (LoadError, SelectionError)
    except ImportError:
        pass
    try:
        from .services.backup import BackupError

        known += (BackupError,)
    except ImportError:
        pass
    return str(exc) if isinstance(exc, known) else None


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """The clerk's start — `minsheng`, `minsheng gui`, with at most `--db PATH` — without building the parser of
    every command (~8 ms of the window's start); anything else (help, version, another command, an unknown
    option) goes through argparse as usual."""
    rest, db = list(argv), None
    if rest and rest[-1] == "gui":
        rest.pop()
    if len(rest) == 2 and rest[0] == "--db" and not rest[1].startswith("-"):
        db = rest[1]
    elif len(rest) == 1 and rest[0].startswith("--db=") and len(rest[0]) > 5:
        db = rest[0][5:]
    elif rest:
        return None
    return argparse.Namespace(command="gui", db=db, func=cmd_gui)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _window_only(argv)
        if args is None:
            parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:
                args = parser.parse_args(["gui", *argv])
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
