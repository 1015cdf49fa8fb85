"""`minsheng plan load FILE.xlsx`: a filled 实施方案 table (as `export --format plan` writes it) into the projects'
plans, through services/plan.py — all or nothing, and loading the same file twice changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.plan_table import PlanLoadError, load_plan_table
from .common import EXIT_OK, UsageError, open_db


def cmd_plan(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_db(args) as db:
        try:
            result = load_plan_table(db, path, args.year, args.region)
        except PlanLoadError as exc:
            raise UsageError(str(exc)) from None
    if not result.projects:
        print(f"“{path.name}”中没有填写任何项目的实施方案：无变化。")
    elif not result.changed:
        print(f"已读取“{path.name}”：{result.list_label}的{result.projects}个项目的实施方案与数据库一致，无变化。")
    else:
        print(f"已载入“{path.name}”：{result.list_label}的{result.projects}个项目的实施方案，"
              f"其中{result.changed}个有更新。")
    return EXIT_OK
