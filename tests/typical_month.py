"""A typical month as a clerk fills it: every live project reported with a realistic progress text (60–110
characters), problems and next steps (20–45), the investment done and every indicator's value.

Used by the export tests and by scripts/sample_exports.py (the pictures in docs/sample/). Seeded: the same
arguments give the same month."""

from __future__ import annotations

import random
from pathlib import Path

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.reports import projects_of, save_report
from minsheng_desktop.domain.model import Project, Report
from minsheng_desktop.domain.schedule import elapsed_share

OPENINGS = (
    "已完成施工图设计审查和招标挂网，施工单位已进场施工",
    "组织召开现场推进会，协调解决管线迁改和群众诉求等问题",
    "完成项目入户调查和实施方案公示，群众支持率达到95%以上",
    "项目资金已按进度拨付，监理单位全程跟踪质量安全",
    "已完成前期踏勘选址和可行性研究报告编制，正在办理用地手续",
    "按月召开专题调度会，倒排工期，压茬推进各项工作",
    "会同属地乡镇（街道）逐一核实点位，建立工作台账",
    "已完成年度实施计划的细化分解，明确责任人和完成时限",
)
MIDDLES = (
    "主体工程完成约七成，附属设施同步施工",
    "已开展业务培训2次，覆盖一线工作人员300余人次",
    "完成材料采购和设备进场，质量检测全部合格",
    "已有部分点位投入使用，群众反映良好",
    "安全生产和文明施工检查未发现重大隐患",
    "宣传发动工作同步推进，发放宣传资料1.2万余份",
)
PROBLEMS = (
    "部分居民意见不统一，方案协商周期较长，影响开工。",
    "受连续降雨天气影响，室外作业时间减少，工期有所滞后。",
    "项目资金到位较慢，部分工程款尚未支付。",
    "管线迁改涉及多个权属单位，协调难度较大。",
    "专业技术人员不足，部分点位施工力量偏弱。",
    "个别点位用地手续尚未办结，暂不具备开工条件。",
    "材料价格上涨，施工单位成本压力较大。",
)
NEXT_STEPS = (
    "加强与街道社区协调，逐户做好群众工作，力争下月全面开工。",
    "倒排工期、挂图作战，增加施工班组，确保按期完成年度任务。",
    "加快资金拨付进度，督促施工单位加大投入，抓紧推进主体工程。",
    "会同相关部门现场办公，尽快完成管线迁改。",
    "加强质量安全监管，组织阶段性验收，确保工程质量。",
    "持续开展宣传引导，及时回应群众关切，营造良好氛围。",
)


def _fit(rng: random.Random, parts: list[str], low: int, high: int) -> str:
    """Clauses joined with ，, as long as a length drawn between low and high allows (whole clauses)."""
    want = rng.randint(low, high)
    text = parts[0]
    for part in parts[1:]:
        if len(text) + len(part) + 2 > want:
            break
        text += "，" + part
    pool = list(MIDDLES)
    while len(text) + 1 < low and pool:
        text += "，" + pool.pop(rng.randrange(len(pool)))
    return text[: high - 1] + "。"


def progress_text(rng: random.Random, p: Project, percent: float, actuals: dict[str, float]) -> str:
    """60–110 characters: what was done, the indicator figures, how far along."""
    figures = [f"{label}{value:g}{_unit(p, label)}" for label, value in actuals.items()]
    done = ("已完成" + "、".join(figures[:2])) if figures else f"完成年度任务的{percent:g}%"
    parts = [rng.choice(OPENINGS), done, *rng.sample(MIDDLES, 3)]
    return _fit(rng, parts, 60, 110)


def _unit(p: Project, label: str) -> str:
    return next((i.measure for i in p.indicators if i.label == label), "")


def _short(rng: random.Random, pool: tuple[str, ...], low: int = 20, high: int = 45) -> str:
    text = rng.choice(pool)
    while len(text) < low:
        text = text.rstrip("。") + "，" + rng.choice(pool)
    return text if len(text) <= high else text[: high - 1] + "。"


def typical_report(rng: random.Random, p: Project, month: str) -> Report:
    share = elapsed_share(month)
    behind = rng.random() < 0.2
    percent = min(100.0, round(share * 100 * (rng.uniform(0.45, 0.7) if behind else rng.uniform(0.95, 1.25))))
    if rng.random() < 0.3:  # some clerks type a decimal
        percent = min(100.0, round(percent + rng.choice((0.5, 0.2, 0.8)), 1))
    actuals = {}
    for ind in p.indicators:
        value = ind.target * percent / 100
        fractional = ind.measure in ("%", "万平方米", "万亩", "万人", "公里") or ind.target != int(ind.target)
        actuals[ind.label] = round(value, 1) if fractional else float(int(value))
    done = None
    if p.investment_wan:
        done = round(p.investment_wan * percent / 100 * rng.uniform(0.9, 1.05), 2)
    elif rng.random() < 0.8:  # a list without a planned investment still asks for the investment done
        done = round(rng.uniform(20, 900), rng.choice((0, 1, 2)))
    return Report(p.id, month, status="lagging" if behind else None, percent=percent, investment_done_wan=done,
                  progress=progress_text(rng, p, percent, actuals), problems=_short(rng, PROBLEMS),
                  next_steps=_short(rng, NEXT_STEPS), indicator_actuals=actuals)


def fill_typical_month(db, list_id: int, month: str, unit: str | None = None, seed: int = 2023,  # type: ignore[no-untyped-def]
                       skip: set[str] = frozenset()) -> list[Report]:  # type: ignore[assignment]
    """Report every live leaf project (led by ``unit`` when given, not named in ``skip``) for the month."""
    rng = random.Random(f"{seed}:{month}")
    out = []
    for p in projects_of(db, list_id):
        if not p.is_leaf or p.withdrawn or (unit is not None and unit not in p.lead_units):
            continue
        rep = typical_report(rng, p, month)
        if p.name in skip or p.number in skip:
            continue
        save_report(db, rep)
        out.append(rep)
    return out


def typical_db(path: Path, notice: Path, months: tuple[str, ...], unit: str | None = None,
               settings: dict[str, str] | None = None) -> tuple[Path, int]:
    """A database with the notice imported and the months filled; returns (path, list id)."""
    from minsheng_desktop.storage import repo

    with open_database(path) as db:
        list_id, _ = import_file(db, notice)
        for m in months:
            fill_typical_month(db, list_id, m, unit)
        for k, v in (settings or {}).items():
            repo.set_setting(db, k, v)
    return path, list_id
