"""Builders for hostile and broken office files (zip bombs, entity expansion, deep nesting, huge tables)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .conftest import FIXTURES

BASE_DOCX = FIXTURES / "004_chengkou_2023_notice.docx"
BASE_XLSX = FIXTURES / "004_chengkou_2023_list.xlsx"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def replace_member(src: Path, dst: Path, member: str, data: bytes, *, store_only: bool = False) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = data if info.filename == member else zin.read(info.filename)
            zout.writestr(info.filename, body,
                          compress_type=zipfile.ZIP_STORED if store_only else zipfile.ZIP_DEFLATED)
    return dst


def _doc(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f"<w:document {W_NS}><w:body>{body}</w:body></w:document>").encode("utf-8")


def _table(rows: list[list[str]]) -> str:
    def row(cells: list[str]) -> str:
        return "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells) + "</w:tr>"

    return "<w:tbl>" + "".join(row(r) for r in rows) + "</w:tbl>"


def zip_bomb(tmp: Path) -> Path:
    return replace_member(BASE_DOCX, tmp / "bomb.docx", "word/document.xml", b"<" + b"\x00" * (60 * 1024 * 1024))


def billion_laughs(tmp: Path) -> Path:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    prolog = f"<!DOCTYPE w:document [{ents}]>"
    body = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return replace_member(BASE_DOCX, tmp / "laughs.docx", "word/document.xml", _doc(body, prolog))


def external_entity(tmp: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
    return replace_member(BASE_DOCX, tmp / "xxe.docx", "word/document.xml", _doc(body, prolog))


def xlsx_entities(tmp: Path) -> Path:
    with zipfile.ZipFile(BASE_XLSX) as z:
        name = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = z.read(name).decode("utf-8")
    head, rest = xml.split("?>", 1)
    xml = head + '?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + rest
    return replace_member(BASE_XLSX, tmp / "laughs.xlsx", name, xml.encode("utf-8"))


def deep_nesting(tmp: Path, depth: int = 200_000) -> Path:
    body = "<w:sdt><w:sdtContent>" * depth + "<w:p/>" + "</w:sdtContent></w:sdt>" * depth
    return replace_member(BASE_DOCX, tmp / "deep.docx", "word/document.xml", _doc(body))


def huge_cell(tmp: Path) -> Path:
    rows = [["序号", "项目名称", "责任单位", "目标任务"], ["1", "某项目", "区教委", "很" * (10 * 1024 * 1024 // 3)]]
    body = "<w:p><w:r><w:t>武隆区2023年度民生实事目标任务</w:t></w:r></w:p>" + _table(rows)
    return replace_member(BASE_DOCX, tmp / "hugecell.docx", "word/document.xml", _doc(body))


def many_rows_docx(tmp: Path, n: int = 100_000) -> Path:
    rows = [["序号", "项目名称", "责任单位", "目标任务"]] + [[str(i), f"项目{i}", "区教委", "改造1个"] for i in range(n)]
    body = "<w:p><w:r><w:t>武隆区2023年度民生实事目标任务</w:t></w:r></w:p>" + _table(rows)
    return replace_member(BASE_DOCX, tmp / "rows.docx", "word/document.xml", _doc(body))


def many_rows_xlsx(tmp: Path, n: int = 100_000) -> Path:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["武隆区2023年度民生实事目标任务"])
    ws.append(["序号", "项目名称", "责任单位", "目标任务"])
    for i in range(n):
        ws.append([i + 1, f"项目{i}", "区教委", "改造1个"])
    out = tmp / "rows.xlsx"
    wb.save(out)
    return out


ALL = {
    "zip_bomb": zip_bomb,
    "billion_laughs": billion_laughs,
    "external_entity": external_entity,
    "xlsx_entities": xlsx_entities,
    "deep_nesting": deep_nesting,
    "huge_cell": huge_cell,
    "many_rows_docx": many_rows_docx,
    "many_rows_xlsx": many_rows_xlsx,
}
