"""The `minsheng collect` command: units' returned reports into the district's list for a month."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable


def register(add: Callable[..., argparse.ArgumentParser], selection: Callable[[argparse.ArgumentParser], None],
             usage_error: type[Exception], open_db: Callable[[argparse.Namespace], Any],
             write_out: Callable[[Path, bytes, bool], None]) -> None:
    """Add the collect sub-command to the parser (called by cli._register_extensions)."""

    def cmd_collect(args: argparse.Namespace) -> int:
        from .services.collect import CollectError, analyse, apply_collect, summary_lines

        month = (args.month or "").strip()
        with open_db(args) as db:
            try:
                result = analyse(db, [Path(f) for f in args.files], month, year=args.year, region=args.region)
            except CollectError as exc:
                raise usage_error(str(exc)) from None
            lines = summary_lines(result)
            if args.dry_run:
                print("（试运行：以下为汇总结果，未写入数据库）")
                print("\n".join(lines))
                return 0
            stats = apply_collect(db, result)
        print("\n".join(lines[:-1]))
        print(f"已写入{result.target_list.label} {month} 的月报 {stats.written} 条"
              + ("（内容与数据库一致，未作改动）" if not stats.written else ""))
        print(lines[-1])
        return 0

    p = add("collect", cmd_collect, "汇总各牵头单位报送的月报（本程序导出的 .xlsx 或 dump 的 .json）")
    p.add_argument("files", nargs="+", metavar="FILE")
    selection(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="汇总的月份，例如 2023-05")
    p.add_argument("--dry-run", action="store_true", help="只显示汇总结果，不写入")
