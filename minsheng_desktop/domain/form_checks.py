"""The report form's rules: the statuses offered, a number read as a clerk types it, the checks on the values
(an error is not saved, a warning is saved and shown)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Project

# Statuses the clerk can pick in the form, in the order shown.
FORM_STATUSES: tuple[str, ...] = ("not_started", "on_track", "lagging", "done")


@dataclass(frozen=True)
class Check:
    """One inline message under a form field."""

    field: str
    level: str  # "error" (not saved) or "warning" (saved, shown)
    text: str


_NUM_RE = re.compile(r"^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$")


def parse_number(text: str, field: str) -> tuple[float | None, Check | None]:
    """Read a number as a clerk types it: '1,200', '45%', full-width digits; '' is no value."""
    t = text.strip().translate(str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%"))
    t = t.replace(",", "").rstrip("%").strip()
    if not t:
        return None, None
    if not _NUM_RE.match(t):
        return None, Check(field, "error", f"“{text.strip()}”不是数字，请只填写数字。")
    return float(t), None


def check_values(project: Project, percent: float | None, investment: float | None,
                 status: str | None) -> list[Check]:
    out: list[Check] = []
    if percent is not None and not 0 <= percent <= 100:
        out.append(Check("percent", "error", "完成进度应在 0 到 100 之间，此项未保存。"))
    if investment is not None and investment < 0:
        out.append(Check("investment_done_wan", "error", "累计完成投资不能为负数，此项未保存。"))
    elif investment is not None and project.investment_wan is not None and investment > project.investment_wan:
        out.append(Check("investment_done_wan", "warning",
                         f"超过年度计划投资 {project.investment_wan:g} 万元，请核实。"))
    if status == "done" and percent is not None and percent < 100:
        out.append(Check("status", "warning", f"状态为“已完成”，但完成进度只有 {percent:g}%。"))
    return out
