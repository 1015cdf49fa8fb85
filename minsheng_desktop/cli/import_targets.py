"""`minsheng import-targets`: an annual target list read from a notice in any form, shown, then stored."""

from __future__ import annotations

import argparse
import sys

from ..services.importing import Progress, apply_import, preview_import
from .common import EXIT_OK, open_db


def stderr_progress() -> Progress:
    """Page n of N on one rewritten stderr line, when stderr is a terminal (never in a pipe or a log)."""
    if not sys.stderr.isatty():
        return Progress()  # reports nothing

    def report(done: int, total: int, text: str) -> None:
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\r\033[K{text}" + (f"（{done}/{total}）" if total else "") + end)
        sys.stderr.flush()

    return Progress(report=report)


def cmd_import(args: argparse.Namespace) -> int:
    files = args.file[0] if len(args.file) == 1 else args.file
    with open_db(args) as db:
        preview = preview_import(db, files, year=args.year, region=args.region, progress=stderr_progress())
        lines = preview.lines()
        if args.dry_run:
            print("（试运行：以下为将要导入的内容，未写入数据库）")
        else:
            apply_import(db, preview)
            lines[0] = "已导入 " + lines[0]
        print("\n".join(lines))
    return EXIT_OK
