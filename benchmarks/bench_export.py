"""Export benchmarks: a month for 1,000 projects as .xlsx and .docx against bare openpyxl/python-docx writing."""

from __future__ import annotations

import io
from pathlib import Path

from .bench_gui import make_big_list_db
from .timing import interleaved


def run(data: Path, row, median_time, process_time) -> None:  # type: ignore[no-untyped-def]
    import docx
    import openpyxl

    from minsheng_desktop.exporters.docx_table import build_progress_docx
    from minsheng_desktop.exporters.xlsx import build_progress_xlsx
    from minsheng_desktop.services.month_data import collect_month
    from minsheng_desktop.services.database import select_list
    from minsheng_desktop.storage.db import Database

    path = data / "big1000.db"
    make_big_list_db(path, n=1000)
    db = Database(path)
    tl = select_list(db)
    md = collect_month(db, tl, "2023-06")
    rows = [[str(i), f"民生项目{i}号工程", "改造老旧小区12个。", 100.0, 50.0, 0.5, "进展情况", 50.0, "正常推进",
             "无", "按计划推进", "区单位1", ""] for i in range(1000)]

    def bare_xlsx() -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    def bare_docx() -> bytes:
        d = docx.Document()
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for i, r in enumerate(rows):
            cells = t.rows[i].cells
            for j, v in enumerate(r):
                cells[j].text = str(v)
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    t = median_time(lambda: collect_month(db, tl, "2023-06"), runs=5)
    print(f"{'(gather a month of 1,000 projects from the db)':<52} {t * 1000:9.1f} ms", flush=True)
    # Interleaved (ours, floor, ours, floor ...) so that a busy stretch of the machine falls on both sides.
    row("export month .xlsx, 1,000 projects", *interleaved(lambda: build_progress_xlsx(md), bare_xlsx, runs=7,
                                                          warmup=1), 2.0)
    row("export month .docx, 1,000 projects", *interleaved(lambda: build_progress_docx(md), bare_docx, runs=5,
                                                          warmup=1), 2.0)
    db.close()
