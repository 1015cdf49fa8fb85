"""Generate a deterministic city-scale data set: 40 regions × 10 years × 30 projects, ~150,000 reports,
a 2,000-row .xlsx target list, and copies of the real fixtures. Usage: python benchmarks/make_city.py OUTDIR"""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section  # noqa: E402
from minsheng_desktop.storage import repo  # noqa: E402
from minsheng_desktop.storage.db import Database  # noqa: E402
from minsheng_desktop.storage.reports import bulk_insert  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REGIONS = [f"{a}{b}区" for a in "东南西北中上下前后左" for b in "城山河湖"]  # 40
YEARS = list(range(2016, 2026))
UNITS = ["区教委", "区卫生健康委", "区住房城乡建委", "区城市管理局", "区交通局", "区民政局", "区残联", "区水利局",
         "区农业农村委", "区发展改革委", "区财政局", "区人力社保局"]
THINGS = [("改造城镇老旧小区", "个"), ("新增托位", "个"), ("建设农村公路", "公里"), ("改造户表", "只"),
          ("建设口袋公园", "个"), ("新建停车泊位", "个"), ("培训技能人才", "人次"), ("改造教室照明", "间")]
STATUSES = ["not_started", "on_track", "on_track", "lagging", "done"]


def make_projects(rng: random.Random, n: int, sections: tuple[str, ...]) -> list[ParsedProject]:
    out: list[ParsedProject] = []
    per = n // len(sections)
    for s in sections:
        for i in range(1, per + 1):
            thing, unit = rng.choice(THINGS)
            qty = rng.randint(2, 2000)
            lead = rng.choice(UNITS)
            partners = tuple(rng.sample(UNITS, 2))
            target = f"{thing}{qty}{unit}，覆盖率达到{rng.randint(60, 100)}%以上。"
            if rng.random() < 0.1:
                out.append(ParsedProject(section=s, number=str(i), name=f"{thing}工程{i}", is_leaf=False))
                for k in range(1, rng.randint(2, 3) + 1):
                    out.append(ParsedProject(section=s, number=f"{i}.{k}", parent=str(i), name=f"{thing}子项{k}",
                                             investment_wan=float(rng.randint(10, 5000)), target=target,
                                             lead_units=(lead,), partner_units=partners))
            else:
                out.append(ParsedProject(section=s, number=str(i), name=f"{thing}项目{i}",
                                         investment_wan=float(rng.randint(0, 5000)), target=target,
                                         lead_units=(lead,), partner_units=partners))
    return out


def make_db(path: Path, seed: int = 2023) -> None:
    from minsheng_desktop.domain.indicators import extract_indicators

    rng = random.Random(seed)
    if path.exists():
        path.unlink()
    db = Database(path)
    cache: dict[str, tuple] = {}
    for region in REGIONS:
        for year in YEARS:
            projects = make_projects(rng, 30, ("市级民生实事", "区级民生实事"))
            projects = [p if not p.is_leaf else ParsedProject(**{**p.__dict__, "indicators": tuple(
                cache.setdefault(p.target or "", tuple(extract_indicators(p.target))))}) for p in projects]
            parsed = ParsedList(year=year, region=region, title=f"{region}{year}年度民生实事目标任务",
                                sections=(Section("一、市级民生实事", "市级民生实事", "市级"),
                                          Section("二、区级民生实事", "区级民生实事", "区级")),
                                projects=tuple(projects), source_file="generated.xlsx")
            list_id = repo.save_list(db, parsed, None, {"generated": True})
            reports = []
            for p in repo.load_projects(db, list_id):
                if not p.is_leaf:
                    continue
                pct = 0.0
                for m in range(1, 13):
                    pct = min(100.0, pct + rng.uniform(0, 15))
                    acts = {i.label: round(i.target * pct / 100, 1) for i in p.indicators}
                    reports.append(Report(p.id, f"{year}-{m:02d}", status=rng.choice(STATUSES), percent=round(pct, 1),
                                          investment_done_wan=round((p.investment_wan or 0) * pct / 100, 2),
                                          progress=f"{m}月完成计划任务的{pct:.0f}%", problems="无",
                                          next_steps="按计划推进", indicator_actuals=acts,
                                          updated_at=f"{year}-{m:02d}-28T10:00:00+08:00"))
            bulk_insert(db, reports)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def make_big_xlsx(path: Path, rows: int = 2000, seed: int = 7) -> None:
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["示例区2024年度民生实事目标任务"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "项目名称", "年度投资（万元）", "工作目标任务", "牵头单位", "配合单位", "备注"])
    for i in range(1, rows + 1):
        thing, unit = rng.choice(THINGS)
        ws.append([i, f"{thing}项目{i}", rng.randint(0, 5000), f"{thing}{rng.randint(2, 900)}{unit}。",
                   rng.choice(UNITS), "、".join(rng.sample(UNITS, 2)), None])
    wb.save(path)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/minsheng-bench")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    make_db(out / "city.db")
    t1 = time.perf_counter()
    make_big_xlsx(out / "list2000.xlsx")
    for f in FIXTURES.glob("*.docx"):
        shutil.copyfile(f, out / f.name)
    for f in FIXTURES.glob("*.xlsx"):
        shutil.copyfile(f, out / f.name)
    db = Database(out / "city.db")
    n_p = db.conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
    n_r = db.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    db.close()
    print(f"city.db: {n_p} projects, {n_r} reports in {t1 - t0:.1f} s; list2000.xlsx in "
          f"{time.perf_counter() - t1:.1f} s -> {out}")


if __name__ == "__main__":
    main()
