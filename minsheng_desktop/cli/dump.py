"""`minsheng dump` and `load`: the database as JSON (dump.schema.json) and back.

Apart from import-targets so that these two do not load the importers (services.importing)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..services.dump import dump, load
from .common import EXIT_OK, UsageError, open_db, write_out


def cmd_dump(args: argparse.Namespace) -> int:
    with open_db(args) as db:
        data = dump(db, args.year, args.region)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        write_out(Path(args.out), text.encode("utf-8"), args.force)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"找不到文件“{path}”：请检查路径。") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"“{path.name}”不是有效的 JSON 文件（{exc}）：请使用 minsheng dump 生成的文件。") from None
    with open_db(args) as db:
        stats = load(db, data, source=path.name)
    print(f"已载入“{path.name}”：写入目标任务 {stats['lists']} 份、月报 {stats['reports_written']} 条"
          + ("（内容与数据库一致，未作改动）" if not any(stats.values()) else ""))
    return EXIT_OK
