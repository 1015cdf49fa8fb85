"""`minsheng backup`, `restore` and `check`: copies of the database, putting one back, the integrity check."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.backup import check_database, make_backup, restore_backup
from .common import EXIT_BAD_INPUT, EXIT_OK, db_path, open_db


def cmd_backup(args: argparse.Namespace) -> int:
    with open_db(args) as db:
        out = make_backup(db, Path(args.out) if args.out else None, reason="manual", force=args.force)
    print(f"已备份到：{out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    aside = restore_backup(db_path(args), Path(args.file))
    print(f"已从“{args.file}”恢复数据库；原数据库已另存为：{aside}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    problems = check_database(db_path(args))
    if problems:
        for p in problems:
            print(p)
        return EXIT_BAD_INPUT
    print("数据库检查通过：完整性与外键均正常。")
    return EXIT_OK
