"""`minsheng collect`: the units' returned reports into the district's list for a month."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.collect import CollectError, analyse, apply_collect, summary_lines
from .common import EXIT_OK, UsageError, open_db


def cmd_collect(args: argparse.Namespace) -> int:
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
    print("\n".join(lines[:-1]))
    print(f"已写入{result.target_list.label} {month} 的月报 {stats.written} 条"
          + ("（内容与数据库一致，未作改动）" if not stats.written else ""))
    print(lines[-1])
    return EXIT_OK
