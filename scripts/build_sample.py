"""Build the sample data the welcome panel's 打开示例数据 opens (issue 16): python scripts/build_sample.py.

The 武隆区 2023 notice (tests/fixtures/000_wulong_2023_notice.docx) is imported through the services into a
temporary database, four months of reports (September to December 2023) are written as clerks write them
(tests/typical_month.py's texts; each project keeps its own pace, so the per cent only grows), three projects
are left unfilled in December, and the whole is dumped (services.dump, ../spec/dump.schema.json) to
minsheng_desktop/sample/wulong-2023.json — inside the package, so that the wheel (package-data) and the
PyInstaller bundle carry it. services.sample loads it into the separate sample database.

Seeded and with fixed timestamps: running it again gives the same file."""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minsheng_desktop.domain.model import Report  # noqa: E402
from minsheng_desktop.domain.schedule import elapsed_share  # noqa: E402
from minsheng_desktop.domain.status import suggested_status  # noqa: E402
from minsheng_desktop.services import dump  # noqa: E402
from minsheng_desktop.services.database import open_database  # noqa: E402
from minsheng_desktop.services.importing import import_file  # noqa: E402
from minsheng_desktop.services.reports import projects_of, save_report  # noqa: E402
from minsheng_desktop.services.sample import SAMPLE_FILE  # noqa: E402
from tests.typical_month import NEXT_STEPS, PROBLEMS, _short, progress_text  # noqa: E402

NOTICE = ROOT / "tests" / "fixtures" / "000_wulong_2023_notice.docx"
MONTHS = ("2023-09", "2023-10", "2023-11", "2023-12")
UNFILLED_LAST = 3  # projects not yet reported in the last month: the 本月填报 overview has something to show


def report(rng: random.Random, p, month: str, pace: float) -> Report:  # type: ignore[no-untyped-def]
    """The month's report of a project that keeps ``pace`` (1.0: exactly on 序时进度)."""
    percent = min(100.0, float(round(elapsed_share(month) * 100 * pace)))
    actuals = {}
    for ind in p.indicators:
        value = ind.target * percent / 100
        fractional = ind.measure in ("%", "万平方米", "万亩", "万人", "公里") or ind.target != int(ind.target)
        actuals[ind.label] = round(value, 1) if fractional else float(int(value))
    done = round(p.investment_wan * percent / 100, 2) if p.investment_wan else None
    status = suggested_status(percent, month)  # as the form suggests it: the sample agrees with its own hints
    return Report(p.id, month, status=status, percent=percent, investment_done_wan=done,
                  progress=progress_text(rng, p, percent, actuals),
                  problems=None if status == "done" else _short(rng, PROBLEMS),
                  next_steps=_short(rng, NEXT_STEPS), indicator_actuals=actuals)


def build() -> dict:  # type: ignore[type-arg]
    rng = random.Random(2023)
    with tempfile.TemporaryDirectory() as tmp:
        with open_database(Path(tmp) / "sample.db") as db:
            list_id, _ = import_file(db, NOTICE)
            leaves = [p for p in projects_of(db, list_id) if p.is_leaf and not p.withdrawn]
            paces = {p.id: rng.uniform(0.8, 1.2) for p in leaves}
            unfilled = {p.id for p in rng.sample(leaves[1:], UNFILLED_LAST)}  # the first one opens filled
            for month in MONTHS:
                for p in leaves:
                    if month == MONTHS[-1] and p.id in unfilled:
                        continue
                    save_report(db, report(rng, p, month, paces[p.id]))
            data = dump.dump(db)
    for tl in data["target_lists"]:
        tl["source_file"] = NOTICE.name  # not this machine's path
        ids = {p["id"]: f"p-sample-{k:02d}" for k, p in enumerate(tl["projects"], 1)}  # not random ones
        for p in tl["projects"]:
            p["id"] = ids[p["id"]]
        for r in tl["reports"]:  # a fixed time in the month's last week instead of now
            r["project_id"] = ids[r["project_id"]]
            r["updated_at"] = f"{r['month']}-25T16:30:00+08:00"
    return data


def main() -> int:
    data = build()
    SAMPLE_FILE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tl = data["target_lists"][0]
    print(f"已写入 {SAMPLE_FILE.relative_to(ROOT)}：{tl['region']}{tl['year']}年，{len(tl['projects'])} 个项目，"
          f"{len(tl['reports'])} 份月报")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
