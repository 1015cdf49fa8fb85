"""Bad input gets one clear Chinese line and exit status 2, and the database is untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from minsheng_desktop.cli import main
from minsheng_desktop.importers import ImportFailure, read_target_list

from .conftest import FIXTURES

BAD = FIXTURES / "bad"

# The old-format 城口 list (.xls) and notice (.doc) are read now: tests/fixtures/legacy/, test_import_legacy.py.
CASES = [
    ("protected.docx", "密码"),
    ("protected.xlsx", "密码"),
    ("protected.xls", "密码"),  # an .xls with an open password (FILEPASS)
    ("protected.doc", "密码"),  # a .doc with an open password (fEncrypted)
    ("truncated.docx", "损坏"),
    ("empty.xlsx", "空文件"),
    ("no_table.docx", "没有找到表格"),
    ("no_header.docx", "表头"),
    ("no_year_region.docx", "--year"),
    ("not_office.docx", "PDF"),  # a broken PDF named .docx: read by its bytes, not its name
]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.parent.glob(path.name + "*")):
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("name,word", CASES)
def test_importer_refuses_with_chinese_message(name: str, word: str) -> None:
    with pytest.raises(ImportFailure) as err:
        read_target_list(BAD / name)
    msg = str(err.value)
    assert word in msg
    assert "\n" not in msg
    assert name in msg or Path(name).name in msg


@pytest.mark.parametrize("name,word", CASES + [("does-not-exist.docx", "找不到文件")])
def test_cli_exit_2_one_line_and_db_untouched(tmp_path, capsys, name: str, word: str) -> None:
    db = tmp_path / "m.db"
    assert main(["--db", str(db), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    before = _digest(db)
    capsys.readouterr()
    src = tmp_path / name
    if (BAD / name).exists():
        shutil.copyfile(BAD / name, src)
    code = main(["--db", str(db), "import-targets", str(src)])
    out, err = capsys.readouterr()
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and word in lines[0]
    assert "Traceback" not in err + out
    assert _digest(db) == before


def test_doc_without_a_converter_is_refused_naming_libreoffice(tmp_path, capsys, monkeypatch) -> None:
    """A .doc where LibreOffice is not installed: one line saying to install it or save as .docx."""
    from minsheng_desktop.importers import legacy

    monkeypatch.setattr(legacy, "find_converter", lambda: None)
    src = tmp_path / "004_chengkou_2023_notice.doc"
    shutil.copyfile(FIXTURES / "legacy" / src.name, src)
    with pytest.raises(ImportFailure) as err:
        read_target_list(src)
    msg = str(err.value)
    assert src.name in msg and "LibreOffice" in msg and ".docx" in msg and "\n" not in msg

    db = tmp_path / "m.db"
    assert main(["--db", str(db), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    before = _digest(db)
    capsys.readouterr()
    assert main(["--db", str(db), "import-targets", str(src)]) == 2
    out, err_text = capsys.readouterr()
    lines = [ln for ln in err_text.splitlines() if ln.strip()]
    assert len(lines) == 1 and "LibreOffice" in lines[0] and ".docx" in lines[0]
    assert "Traceback" not in err_text + out
    assert _digest(db) == before


def test_year_and_region_can_be_supplied(tmp_path) -> None:
    parsed = read_target_list(BAD / "no_year_region.docx", year=2024, region="某某区")
    assert (parsed.year, parsed.region) == (2024, "某某区")
    assert [p.name for p in parsed.projects] == ["城镇老旧小区改造"]


def test_directory_is_refused(tmp_path) -> None:
    with pytest.raises(ImportFailure, match="文件夹"):
        read_target_list(tmp_path)


def test_file_held_open_or_unreadable(tmp_path, monkeypatch) -> None:
    p = tmp_path / "x.docx"
    shutil.copyfile(FIXTURES / "000_wulong_2023_notice.docx", p)
    real_open = Path.open

    def locked(self, *a, **k):  # what Windows reports while Excel/WPS holds a file
        if self == p:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(ImportFailure, match="正被"):
        read_target_list(p)


def test_bad_usage_is_exit_2(capsys) -> None:
    assert main(["import-targets"]) == 2
    assert "参数" in capsys.readouterr().err
