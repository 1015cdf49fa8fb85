"""The district's products from a collected month: the consolidated table with a completion chart (.xlsx,
a native bar chart), the quarterly 通报 with the same figures drawn as an image (.docx), and an optional
appendix of evidence photos. The other exporters are called, never changed."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Alignment, Font

from ..domain.schedule import month_label
from .bulletin import build_bulletin
from .data import MonthData, month_parts
from .docx_table import build_progress_docx
from .numbers import excel_number, pct_sign
from .official import BODY, HEI, SIZE_3, SIZE_5, add_run, document_bytes, fmt_par, para, set_font
from .xlsx import BODY_FONT, BORDER, HEAD_FONT, build_progress_xlsx, put

CHART_SHEET = "完成进度图"
STATUS_COLOURS = {"done": "2E8B57", "on_track": "3A6FB0", "lagging": "C0392B", "not_started": "8C8C8C",
                  None: "C8C8C8"}
LEGEND = (("done", "已完成"), ("on_track", "正常推进"), ("lagging", "进度滞后"), ("not_started", "未开工"),
          (None, "未填报"))


@dataclass(frozen=True)
class Figure:
    number: str
    name: str
    units: str
    percent: float  # 0 when not reported
    status: str | None

    @property
    def label(self) -> str:
        return f"{self.number}.{self.name}"


def completion_figures(data: MonthData) -> list[Figure]:
    """完成进度 of every project of the month, in table order: the figures of both charts."""
    return [Figure(r.project.number, r.project.name, "、".join(r.project.lead_units),
                   float(r.report.percent) if r.report and r.report.percent is not None else 0.0, r.status)
            for r in data.leaves]


def chart_title(data: MonthData) -> str:
    y, m = month_parts(data.month)
    return f"{data.region}{y}年民生实事各项目完成进度（截至{m}月底）"


# ------------------------------------------------------------------ .xlsx


def add_chart_sheet(wb, data: MonthData) -> None:  # type: ignore[no-untyped-def]
    """A sheet with the figures and a native horizontal bar chart over them, coloured by 进度状态."""
    figs = completion_figures(data)
    ws = wb.create_sheet(CHART_SHEET, 1)
    put(ws["A1"], chart_title(data)).font = Font(name=HEAD_FONT, size=14, bold=True)
    heads = ("序号", "项目名称", "牵头单位", "完成进度（%）", "进度状态", "图中名称")
    for j, h in enumerate(heads, start=1):
        c = put(ws.cell(3, j), h)
        c.font, c.border = Font(name=HEAD_FONT, size=11, bold=True), BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    labels = dict(LEGEND)
    for i, f in enumerate(figs, start=4):
        short = f.label if len(f.label) <= 14 else f.label[:13] + "…"
        value, shown = excel_number("pct", f.percent)
        for j, v in enumerate((f.number, f.name, f.units, value, labels.get(f.status, "未填报"), short), start=1):
            c = put(ws.cell(i, j), v)
            c.font, c.border = Font(name=BODY_FONT, size=11), BORDER
        ws.cell(i, 4).number_format = shown
    for col, width in zip("ABCDEF", (6, 36, 16, 10, 10, 20)):
        ws.column_dimensions[col].width = width
    chart = BarChart()
    chart.type, chart.style, chart.grouping = "bar", 10, "clustered"
    chart.title = chart_title(data)
    chart.y_axis.title = "完成进度（%）"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 100, 20
    chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend = None
    last = 3 + len(figs)
    chart.add_data(Reference(ws, min_col=4, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=6, min_row=4, max_row=last))
    chart.y_axis.numFmt = "0"
    chart.x_axis.tickLblSkip = 1  # every project named, none skipped for want of room
    chart.y_axis.majorGridlines = None
    series = chart.series[0]
    series.graphicalProperties.solidFill = STATUS_COLOURS["on_track"]
    for i, f in enumerate(figs):
        pt = DataPoint(idx=i)
        pt.graphicalProperties.solidFill = STATUS_COLOURS.get(f.status, STATUS_COLOURS[None])
        series.dPt.append(pt)
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    series.dLbls.showCatName = series.dLbls.showSerName = series.dLbls.showLegendKey = False
    series.dLbls.showPercent = False
    series.dLbls.numFmt = "0"
    chart.gapWidth = 40
    chart.width, chart.height = 18.5, max(8.0, 0.62 * len(figs) + 3)
    ws.add_chart(chart, f"A{last + 2}")  # under the table: printed after it, as wide as it
    ws.page_setup.orientation, ws.page_setup.paperSize = "portrait", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build_district_xlsx(data: MonthData) -> bytes:
    """The consolidated 推进情况表 (all units' projects, same form) plus the 完成进度图 sheet."""
    wb = load_workbook(io.BytesIO(build_progress_xlsx(data)))
    add_chart_sheet(wb, data)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ the chart as an image


@functools.lru_cache(maxsize=1)
def cjk_font_file() -> str | None:
    """A font that has Chinese: fontconfig's choice, else a Windows or macOS system font, else None."""
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True,
                                 text=True, timeout=5).stdout.strip()
            if out and Path(out).is_file() and any(k in out.lower() for k in ("cjk", "hei", "song", "wqy", "han",
                                                                             "droid", "msyh", "simsun", "ming")):
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    windir = os.environ.get("WINDIR", r"C:\Windows")
    for cand in (Path(windir, "Fonts", n) for n in ("msyh.ttc", "simhei.ttf", "simsun.ttc")):
        if cand.is_file():
            return str(cand)
    for cand in ("/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Light.ttc"):
        if Path(cand).is_file():
            return cand
    return None


def chart_png(data: MonthData, width: int = 1800) -> bytes:
    """The completion chart drawn with Pillow: one bar per project, the 序时进度 as a dashed line."""
    from PIL import Image, ImageDraw, ImageFont  # deferred: only the .docx products draw the chart

    figs = completion_figures(data)
    path = cjk_font_file()

    def font(size: int):  # type: ignore[no-untyped-def]
        return ImageFont.truetype(path, size) if path else ImageFont.load_default()

    f_title, f_label, f_small = font(44), font(30), font(26)
    row, top, legend_h = 50, 110, 70
    label_w = 640 if path else 90
    left, right = label_w + 20, width - 110
    height = top + row * len(figs) + 60 + legend_h
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    if path:
        d.text((width // 2, 40), chart_title(data), fill="black", font=f_title, anchor="mm")
    span = right - left
    for k in range(0, 101, 20):  # grid and axis labels
        x = left + span * k // 100
        d.line([x, top - 10, x, top + row * len(figs)], fill=(225, 225, 225) if k else (90, 90, 90), width=2)
        d.text((x, top + row * len(figs) + 12), f"{k}%", fill=(60, 60, 60), font=f_small, anchor="mt")
    for i, f in enumerate(figs):
        y = top + i * row
        name = f.label if path else f.number
        while path and d.textlength(name, font=f_label) > label_w and len(name) > 4:
            name = name[:-2] + "…"
        d.text((label_w, y + row // 2), name, fill="black", font=f_label, anchor="rm")
        colour = "#" + STATUS_COLOURS.get(f.status, STATUS_COLOURS[None])
        x1 = left + int(span * min(f.percent, 100) / 100)
        if x1 > left:
            d.rectangle([left, y + 8, x1, y + row - 8], fill=colour)
        d.text((x1 + 8, y + row // 2), pct_sign(f.percent) if f.status else ("未填报" if path else "-"),
               fill=(40, 40, 40), font=f_small, anchor="lm")
    xe = left + int(span * min(data.elapsed_percent(), 100) / 100)
    for y in range(top - 10, top + row * len(figs), 16):
        d.line([xe, y, xe, y + 8], fill=(200, 120, 0), width=3)
    ly = height - legend_h + 10
    x = left
    items = [*(("#" + STATUS_COLOURS[k], t) for k, t in LEGEND), ("#C87800", f"序时进度{pct_sign(data.elapsed_percent())}")]
    for colour, text in items if path else []:
        d.rectangle([x, ly + 8, x + 30, ly + 38], fill=colour)
        d.text((x + 40, ly + 23), text, fill="black", font=f_small, anchor="lm")
        x += 60 + int(d.textlength(text, font=f_small))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# ------------------------------------------------------------------ .docx


def _picture_paragraph(doc, png: bytes, width_mm: float, height_mm: float | None = None):  # type: ignore[no-untyped-def]

    par = doc.add_paragraph()
    fmt_par(par, align="center", line=None, before=6)
    run = add_run(par, "", BODY, SIZE_5)
    run.add_picture(io.BytesIO(png), width=Mm(width_mm), height=Mm(height_mm) if height_mm else None)
    return par


def build_district_bulletin(data: MonthData, photos: Sequence | None = None) -> bytes:
    """The quarterly 通报 with the completion chart after 一、总体情况 (and the photo appendix when given)."""
    doc = Document(io.BytesIO(build_bulletin(data)))
    anchor = next((p for p in doc.paragraphs if p.text.startswith("二、")), None)
    png = chart_png(data)
    pic = _picture_paragraph(doc, png, 150)
    cap = para(doc, f"图1　{chart_title(data)}", BODY, 12, align="center", line=None, after=6)
    if anchor is not None:
        anchor._p.addprevious(pic._p)
        anchor._p.addprevious(cap._p)
    return _finish(doc, photos, data)


def build_district_docx(data: MonthData, photos: Sequence | None = None) -> bytes:
    """The consolidated 推进情况表 as .docx (the same official form), with the photo appendix when given."""
    return _finish(Document(io.BytesIO(build_progress_docx(data))), photos, data)


def _finish(doc, photos: Sequence | None, data: MonthData) -> bytes:  # type: ignore[no-untyped-def]
    if photos:
        add_photo_appendix(doc, photos)
    return document_bytes(doc)


def add_photo_appendix(doc, photos: Sequence) -> None:  # type: ignore[no-untyped-def]
    """佐证材料 on new pages: each photo with its caption (project, month, caption); PDFs listed by name."""
    sec = doc.sections[-1]
    type_w = (sec.page_width - sec.left_margin - sec.right_margin) / 36000  # EMU → mm
    type_h = (sec.page_height - sec.top_margin - sec.bottom_margin) / 36000
    brk = doc.add_paragraph()
    run = brk.add_run()
    set_font(run, BODY)
    run.add_break(WD_BREAK.PAGE)
    para(doc, "佐证材料", HEI, SIZE_3, align="center", line=None, after=6)
    pdfs = []
    for k, ph in enumerate(photos, start=1):
        text = f"{ph.number}.{ph.project}　{month_label(ph.month)}" + (f"　{ph.caption}" if ph.caption else "")
        if not ph.mime.startswith("image/") or not ph.data:
            pdfs.append(f"{text}（{ph.filename}）")
            continue
        w, h = ph.width or 4, ph.height or 3
        max_w, max_h = min(150.0, type_w), type_h * 0.4
        scale = min(max_w / w, max_h / h)
        pic = _picture_paragraph(doc, ph.data, w * scale, h * scale)
        pic.paragraph_format.keep_with_next = True
        para(doc, f"照片{k}　{text}", BODY, 12, align="center", line=None, after=10)
    if pdfs:
        para(doc, "另附 PDF 材料（见电子文件）：", BODY, 12, line=None, before=6)
        for t in pdfs:
            para(doc, t, BODY, 12, line=None)
