"""The `minsheng export` command: a month's table, cover letter or quarterly bulletin to a file."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Callable

from .services.formats import FORMATS

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def register(add: Callable[..., argparse.ArgumentParser], selection: Callable[[argparse.ArgumentParser], None],
             usage_error: type[Exception], open_db: Callable[[argparse.Namespace], Any],
             write_out: Callable[[Path, bytes, bool], None]) -> None:
    """Add the export sub-command to the parser (called by cli._register_extensions)."""

    def cmd_export(args: argparse.Namespace) -> int:
        # Deferred: the export use cases load the database layer and the exporters, which the parser (built for
        # every command) does not need.
        from .fileio import OutputLocked
        from .services import export as exporting
        from .services.database import select_list
        from .services.templates import TemplateError, fill_template, load_template, save_template

        fmt = FORMATS[args.format]
        month = (args.month or "").strip()
        if not _MONTH.match(month):
            raise usage_error(f"--month 应为 YYYY-MM 格式（例如 2023-05），收到“{args.month}”。")
        if not fmt.applies_to(month):
            raise usage_error(f"--month {month} 不是季末月份：{fmt.name}请用 3、6、9 或 12 月，例如 {month[:4]}-06。")
        tpl = _given_template(args, usage_error)
        builder, suffix = fmt.build, fmt.suffix
        with open_db(args) as db:
            tl = select_list(db, args.year, args.region)
            if int(month[:4]) != tl.year:
                raise usage_error(f"--month {month} 不在{tl.label}的目标任务年度内：请用 {tl.year}-MM。")
            unit = (args.unit or "").strip() or None
            if unit is not None:
                known = exporting.lead_units(db, tl.id)
                if unit not in known:
                    raise usage_error(f"--unit：{tl.label}中没有牵头单位“{unit}”。可选：{'、'.join(known[:12])}。")
            data = exporting.collect_month(db, tl, month, unit)
            missing = exporting.unfilled_note(data.unfilled, month, unit)
            builder = _district_builder(args, db, tl.id, month, unit, usage_error) or builder
            remembered = load_template(db, tl.id)
            if tpl is not None and args.remember_template:
                save_template(db, tl.id, tpl)
                print(f"已记住{tl.label}的单位模板“{tpl.filename}”，以后导出 {tpl.kind} 时自动使用。")
            elif tpl is not None and remembered is not None and remembered.content == tpl.content:
                tpl = remembered  # the same file: keep the clerk's corrected mapping
            elif tpl is None and remembered is not None and remembered.kind == args.format and not args.district:
                tpl = remembered
        out = Path(args.out)
        if out.is_dir() or args.out.endswith(("/", "\\")):
            out = out / exporting.export_filename(args.format, data)
        elif out.suffix.lower() != suffix:
            raise usage_error(f"--out “{out.name}”：{args.format} 格式应保存为 {suffix} 文件。")
        try:
            payload = fill_template(tpl, data) if tpl is not None else builder(data)
        except TemplateError as exc:
            raise usage_error(str(exc)) from None
        try:
            write_out(out, payload, args.force)
        except OutputLocked as exc:
            raise usage_error(str(exc)) from None
        print(f"已导出：{out}" + (f"（按单位模板“{tpl.filename}”填写）" if tpl is not None else ""))
        if missing:
            print(f"提示：{missing}表中列出其最近一次填报的数据并注明月份；填报后再导出一次即可。", file=sys.stderr)
        if fmt.signed and not (data.reporter_name and data.reporter_phone):
            print("提示：设置中没有联系人或联系电话，导出的文件在该处留有横线待手写（可在窗口的“设置”中填写）。",
                  file=sys.stderr)
        return 0

    p = add("export", cmd_export, "导出月度推进情况表（xlsx/docx）、报送函（letter）或季度通报（bulletin）")
    selection(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，例如 2023-05")
    p.add_argument("--format", required=True, choices=tuple(FORMATS), help=" | ".join(FORMATS))
    p.add_argument("--out", required=True, metavar="PATH", help="输出文件；给出文件夹时按单位和月份自动命名")
    p.add_argument("--unit", metavar="NAME", help="只导出该单位牵头的项目")
    p.add_argument("--template", metavar="FILE",
                   help="按发展改革委下发的空白表格（.xlsx 配 --format xlsx，.docx 配 --format docx）填写本次导出；"
                        "不给时使用已记住的单位模板，没有则用内置格式")
    p.add_argument("--remember-template", action="store_true",
                   help="与 --template 同用：记住该模板（按目标任务清单保存），以后导出同一格式时自动使用")
    p.add_argument("--district", action="store_true",
                   help="发展改革委汇总用：表格附按项目的完成情况图（xlsx 为原生图表，docx/通报为图片）")
    p.add_argument("--photos", action="store_true", help=f"{_kinds(' / ', 'takes_photos')}：附上本月佐证照片及说明")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _district_builder(args: argparse.Namespace, db: Any, list_id: int, month: str, unit: str | None,
                      usage_error: type[Exception]) -> Callable[[Any], bytes] | None:
    """The district products (chart, photo appendix) when --district or --photos asks for them."""
    from .services.export import district_builder  # deferred, as in cmd_export

    if not (args.district or args.photos):
        return None
    fmt = FORMATS[args.format]
    if fmt.district is None or (args.photos and not fmt.takes_photos):
        raise usage_error(f"--format {args.format} 不支持 {'--photos' if args.photos else '--district'}："
                          f"图表用于 {_kinds('/', 'district')}，照片附录用于 {_kinds('/', 'takes_photos')}。")
    return district_builder(db, list_id, args.format, month, unit, args.photos)


def _kinds(sep: str, attribute: str) -> str:
    """The formats with ``attribute`` set, for a message: docx/bulletin."""
    return sep.join(k for k, f in FORMATS.items() if getattr(f, attribute))


def _given_template(args: argparse.Namespace, usage_error: type[Exception]):  # type: ignore[no-untyped-def]
    """The --template file read and mapped, or None; bad combinations are usage errors."""
    from .services.templates import TemplateError, analyse_template  # deferred, as in cmd_export

    if not args.template:
        if args.remember_template:
            raise usage_error("--remember-template 需要与 --template FILE 一起使用。")
        return None
    if not FORMATS[args.format].fills_template:
        raise usage_error(f"--template 只用于推进情况表（--format {_kinds(' 或 ', 'fills_template')}），"
                          f"不用于 {args.format}。")
    try:
        tpl = analyse_template(Path(args.template))
    except TemplateError as exc:
        raise usage_error(f"--template：{exc}") from None
    if tpl.kind != args.format:
        raise usage_error(f"--template “{Path(args.template).name}”是 {tpl.kind} 文件：请用 --format {tpl.kind}，"
                          f"或换一个 .{args.format} 模板。")
    return tpl
