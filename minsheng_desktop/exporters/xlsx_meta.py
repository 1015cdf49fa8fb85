"""The names that mark an .xlsx as one of our exports: the hidden bookkeeping sheet and the format id it holds.

Kept apart from xlsx.py (which imports openpyxl to write) so that `minsheng collect`, reading a unit's returned
export through importers/xlsx.py, loads no openpyxl."""

from __future__ import annotations

META_SHEET = "_minsheng"
FORMAT_ID = "minsheng-progress"
FORMAT_VERSION = 1

# The 实施方案 fill-in table (exporters/plan_xlsx.py): its own id, so `plan load` knows it and collect refuses it.
PLAN_FORMAT_ID = "minsheng-plan"
PLAN_ID_HEADER = "项目编号（勿改）"  # the hidden column holding each row's project id
PLAN_HEADERS = ("序号", "项目名称", "节点月份", "节点目标", "计划完成进度(%)", "责任人", "联系电话", "工作措施")
