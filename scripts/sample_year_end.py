"""The pictures of the year's end in docs/sample/ (issue 17): 区住房城乡建委's 年度完成情况报告 (.docx, page 1) and
its table (.xlsx), and the 发展改革委's 考核评比表 (.xlsx and .docx) — python scripts/sample_year_end.py; needs soffice
and pdftoppm, as scripts/sample_exports.py (whose render() it uses).

武隆区 2023, October to December filled as a clerk fills them (tests/typical_month.py); most units send on the
28th, 区交通局 and 区教委 a few days late in November, 区水利局 not at all in October."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minsheng_desktop.services import export as exporting  # noqa: E402
from minsheng_desktop.services.database import open_database, select_list  # noqa: E402
from minsheng_desktop.services.formats import FORMATS  # noqa: E402
from minsheng_desktop.services.importing import import_file  # noqa: E402
from minsheng_desktop.services.reports import delete_month_report, projects_of, save_report  # noqa: E402
from minsheng_desktop.storage import repo  # noqa: E402
from scripts.sample_exports import NOTICE, UNIT, render  # noqa: E402
from tests.typical_month import fill_typical_month  # noqa: E402

LATE = {("2023-11", "区交通局"): "2023-12-04", ("2023-11", "区教委"): "2023-12-06"}
# (picture name, kind, unit, suffix)
SAMPLES = (("annual-report", "annual", UNIT, ".docx"), ("annual-sheet", "annual", UNIT, ".xlsx"),
           ("assessment-sheet", "assessment", None, ".xlsx"), ("assessment-report", "assessment", None, ".docx"))


def main() -> int:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("soffice and pdftoppm are needed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with open_database(work / "wl.db") as db:
            list_id, _ = import_file(db, NOTICE)
            leads = {p.id: (p.lead_units or ("",))[0] for p in projects_of(db, list_id)}
            for k, v in {"reporter_unit": UNIT, "reporter_name": "张三", "reporter_phone": "023-77771234"}.items():
                repo.set_setting(db, k, v)
            for month in ("2023-10", "2023-11", "2023-12"):
                for rep in fill_typical_month(db, list_id, month):
                    lead = leads[rep.project_id]
                    if month == "2023-10" and lead == "区水利局":
                        delete_month_report(db, rep.project_id, month)
                        continue
                    save_report(db, replace(rep, submitted_on=LATE.get((month, lead), f"{month}-28")))
            tl = select_list(db)
            for name, kind, unit, suffix in SAMPLES:
                data = exporting.collect_for(db, tl, "2023-12", unit, kind, today=date(2024, 1, 8))
                data = replace(data, report_date=date(2024, 1, 8))
                src = work / f"{name}{suffix}"
                src.write_bytes(FORMATS[kind].builder(suffix)(data))
                for png in render(src, work, 1, name):
                    print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
