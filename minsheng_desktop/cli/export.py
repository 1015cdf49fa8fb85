"""`minsheng export`: a month's table, cover letter or quarterly bulletin to a file.

The options are declared in entry.py with the other commands'; this module runs the command. The month is read
and the file written by the same service functions the window's 导出 dialog uses (services/export.py)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..services import export as exporting
from ..services.database import Database, select_list
from ..services.formats import FORMATS
from ..services.templates import Template, TemplateError, analyse_template, fill_template, load_template, save_template
from .common import EXIT_OK, UsageError, open_db

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def cmd_export(args: argparse.Namespace) -> int:
    fmt = FORMATS[args.format]
    month = _month(args.month)
    if not fmt.applies_to(month):
        raise UsageError(f"--month {month} 不是季末月份：{fmt.name}请用 3、6、9 或 12 月，例如 {month[:4]}-06。")
    tpl = _given_template(args)
    with open_db(args) as db:
        target_list = select_list(db, args.year, args.region)
        if int(month[:4]) != target_list.year:
            raise UsageError(f"--month {month} 不在{target_list.label}的目标任务年度内：请用 {target_list.year}-MM。")
        unit = (args.unit or "").strip() or None
        if unit is not None and not fmt.per_unit:
            raise UsageError(f"--unit 不适用于 --format {args.format}：{fmt.name}包括全部牵头单位，请去掉 --unit。")
        if unit is not None:
            known = exporting.lead_units(db, target_list.id)
            if unit not in known:
                raise UsageError(f"--unit：{target_list.label}中没有牵头单位“{unit}”。可选：{'、'.join(known[:12])}。")
        data = exporting.collect_for(db, target_list, month, unit, args.format)
        missing = exporting.unfilled_note(data.unfilled, month, unit)
        build = _district_builder(args, db, target_list.id, month, unit) or fmt.build
        tpl = _template_to_use(args, db, target_list, tpl)
    out = Path(args.out)
    if out.is_dir() or args.out.endswith(("/", "\\")):
        out = out / exporting.export_filename(args.format, data)
    elif out.suffix.lower() not in fmt.suffixes:
        raise UsageError(f"--out “{out.name}”：{args.format} 格式应保存为 {' 或 '.join(fmt.suffixes)} 文件。")
    elif build is fmt.build:
        build = fmt.builder(out.suffix)  # a format written as either kind of file (the plan: .xlsx or .docx)
    if out.exists() and not args.force:
        raise UsageError(f"输出文件“{out}”已存在：如需覆盖请加 --force，或换一个文件名。")
    if tpl is not None:
        build = _filled(tpl)
    try:
        result = exporting.write_export(args.format, out, data, build)
    except TemplateError as exc:
        raise UsageError(str(exc)) from None
    if not result.ok:
        raise UsageError(result.message)
    print(f"已导出：{out}" + (f"（按单位模板“{tpl.filename}”填写）" if tpl is not None else ""))
    if missing and fmt.monthly:
        print(f"提示：{missing}表中列出其最近一次填报的数据并注明月份；填报后再导出一次即可。", file=sys.stderr)
    if fmt.signed and not (data.reporter_name and data.reporter_phone):
        print("提示：设置中没有联系人或联系电话，导出的文件在该处留有横线待手写（可在窗口的“设置”中填写）。",
              file=sys.stderr)
    return EXIT_OK


def _month(text: str | None) -> str:
    """--month as YYYY-MM exactly (two-digit month), or a usage error."""
    month = (text or "").strip()
    if not _MONTH.match(month):
        raise UsageError(f"--month 应为 YYYY-MM 格式（例如 2023-05），收到“{text}”。")
    return month


def _filled(tpl: Template) -> Callable[[exporting.MonthData], bytes]:
    return lambda data: fill_template(tpl, data)


def _template_to_use(args: argparse.Namespace, db: Database, target_list,
                     tpl: Template | None) -> Template | None:  # type: ignore[no-untyped-def]
    """The template this export fills: the one given (remembered when asked), else the list's remembered one."""
    remembered = load_template(db, target_list.id)
    if tpl is not None and args.remember_template:
        save_template(db, target_list.id, tpl)
        print(f"已记住{target_list.label}的单位模板“{tpl.filename}”，以后导出 {tpl.kind} 时自动使用。")
        return tpl
    if tpl is not None and remembered is not None and remembered.content == tpl.content:
        return remembered  # the same file: keep the clerk's corrected mapping
    if tpl is None and remembered is not None and remembered.kind == args.format and not args.district:
        return remembered
    return tpl


def _district_builder(args: argparse.Namespace, db: Database, list_id: int, month: str,
                      unit: str | None) -> Callable[[exporting.MonthData], bytes] | None:
    """The district products (chart, photo appendix) when --district or --photos asks for them."""
    if not (args.district or args.photos):
        return None
    fmt = FORMATS[args.format]
    if fmt.district is None or (args.photos and not fmt.takes_photos):
        raise UsageError(f"--format {args.format} 不支持 {'--photos' if args.photos else '--district'}："
                         f"图表用于 {kinds('/', 'district')}，照片附录用于 {kinds('/', 'takes_photos')}。")
    return exporting.district_builder(db, list_id, args.format, month, unit, args.photos)


def kinds(sep: str, attribute: str) -> str:
    """The formats with ``attribute`` set, for a message or a help text: docx/bulletin."""
    return sep.join(k for k, f in FORMATS.items() if getattr(f, attribute))


def _given_template(args: argparse.Namespace) -> Template | None:
    """The --template file read and mapped, or None; bad combinations are usage errors."""
    if not args.template:
        if args.remember_template:
            raise UsageError("--remember-template 需要与 --template FILE 一起使用。")
        return None
    if not FORMATS[args.format].fills_template:
        raise UsageError(f"--template 只用于推进情况表（--format {kinds(' 或 ', 'fills_template')}），"
                         f"不用于 {args.format}。")
    try:
        tpl = analyse_template(Path(args.template))
    except TemplateError as exc:
        raise UsageError(f"--template：{exc}") from None
    if tpl.kind != args.format:
        raise UsageError(f"--template “{Path(args.template).name}”是 {tpl.kind} 文件：请用 --format {tpl.kind}，"
                         f"或换一个 .{args.format} 模板。")
    return tpl
