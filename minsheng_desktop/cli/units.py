"""`minsheng units` / `minsheng units load FILE`: the units' address book, printed or merged from a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..domain.units import SOURCE_LABELS
from ..services.units import UnitsError, address_book, load_units_file
from .common import EXIT_OK, UsageError, open_db


def cmd_units(args: argparse.Namespace) -> int:
    if args.action == "load" and not args.file:
        raise UsageError("minsheng units load 需要一个文件：.xlsx 或 .csv，列为 单位、联系人、电话、邮箱。")
    if args.action is None and args.file:
        raise UsageError(f"多余的参数“{args.file}”：导入通讯录请用 minsheng units load 文件。")
    with open_db(args) as db:
        if args.action == "load":
            try:
                loaded = load_units_file(db, Path(args.file))
            except UnitsError as exc:
                raise UsageError(str(exc)) from None
            print(loaded.summary())
            return EXIT_OK
        book = address_book(db)
    if not book:
        print("单位通讯录为空：可用 minsheng units load 文件 导入（.xlsx 或 .csv，列为 单位、联系人、电话、邮箱）。")
        return EXIT_OK
    print("单位\t联系人\t电话\t邮箱\t来源")
    for u in book:
        print("\t".join([u.name, u.contact or "", u.phone or "", u.email or "", SOURCE_LABELS.get(u.source, u.source)]))
    return EXIT_OK
