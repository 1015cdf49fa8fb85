"""What every command shares: exit statuses, the one-line usage error, the database option, writing an output file."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import fileio
from ..paths import default_db_path
from ..services.database import Database, open_database

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """Bad input or usage: one line on stderr, exit status 2."""


def db_path(args: argparse.Namespace) -> Path:
    """The database file: --db, else $MINSHENG_DB or the user's data folder."""
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_db(args: argparse.Namespace) -> Database:
    return open_database(db_path(args))


def add_db_option(p: argparse.ArgumentParser, *, sub: bool = False) -> None:
    # On a sub-command the option must not reset a --db given before the command name.
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
                   help="数据库文件（默认 $MINSHENG_DB 或用户数据目录）")


def add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, metavar="N", help="年度，例如 2023")
    p.add_argument("--region", metavar="NAME", help="区县，例如 武隆区")


def write_out(path: Path, data: bytes, force: bool) -> None:
    """Refuse to replace a file without --force; write to a temporary name and rename.

    A file held open, a full disk or a folder we may not write to is bad input (exit 2, one line), for every
    command that writes a file (export, dump, mail --eml), not a bug."""
    if path.exists() and not force:
        raise UsageError(f"输出文件“{path}”已存在：如需覆盖请加 --force，或换一个文件名。")
    try:
        fileio.atomic_write_bytes(path, data)
    except (fileio.OutputLocked, OSError) as exc:
        raise UsageError(fileio.write_failure_message(path, exc)) from None
