"""The command line as a whole process: --version, import, and that it never loads Qt."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from minsheng_desktop.version import version

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "minsheng_desktop", *args], capture_output=True, text=True,
                          env=e, timeout=120)


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and version() in r.stdout


def test_import_and_dump_whole_process(tmp_path) -> None:
    db = tmp_path / "m.db"
    r = run("--db", str(db), "import-targets", str(FIXTURES / "004_chengkou_2023_notice.docx"))
    assert r.returncode == 0, r.stderr
    assert "城口县 2023年目标任务" in r.stdout and "15件、15个项目" in r.stdout
    assert "报送时间：次月10日前报上月情况" in r.stdout
    r = run("dump", env={"MINSHENG_DB": str(db)})
    data = json.loads(r.stdout)
    assert len(data["target_lists"][0]["projects"]) == 15


def test_core_never_imports_qt(tmp_path) -> None:
    code = (
        "import sys\n"
        "import minsheng_desktop.cli, minsheng_desktop.services, minsheng_desktop.importers\n"
        "import minsheng_desktop.storage.repo, minsheng_desktop.domain.schedule, minsheng_desktop.services.backup\n"
        "import pkgutil, importlib, minsheng_desktop\n"
        "for m in pkgutil.walk_packages(minsheng_desktop.__path__, 'minsheng_desktop.'):\n"
        "    if '.gui' in m.name or m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "from minsheng_desktop.cli import main\n"
        f"main(['--db', r'{tmp_path / 'q.db'}', 'import-targets', r'{FIXTURES / '000_wulong_2023_list.xlsx'}'])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print('QT', bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    assert "QT []" in r.stdout


def test_unexpected_error_is_exit_1_with_log(tmp_path, monkeypatch, capsys) -> None:
    from minsheng_desktop.cli import dump, main

    def boom(*args, **kwargs):  # a bug, not bad input
        raise ZeroDivisionError("x")

    monkeypatch.setattr(dump, "dump", boom)
    assert main(["dump", "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "日志" in err and "Traceback" not in err and "ZeroDivisionError" in err


WINDOW = [([], None), (["gui"], None), (["--db", "x.db"], "x.db"), (["--db", "x.db", "gui"], "x.db"),
          (["--db=x.db"], "x.db"), (["--db=x.db", "gui"], "x.db"), (["gui", "--db", "x.db"], "x.db"),
          (["--db=", "gui"], "")]


@pytest.mark.parametrize("argv,db", WINDOW)
def test_no_command_or_gui_opens_the_window(argv, db) -> None:
    """`minsheng` and `minsheng [--db F] [gui]` are the window's command line, with the database given."""
    from minsheng_desktop.cli.entry import cmd_gui, parse

    args = parse(argv)
    assert (args.command, args.db, args.func) == ("gui", db, cmd_gui)


@pytest.mark.parametrize("argv,code", [(["--help"], 0), (["--version"], 0), (["--db"], 2), (["--db", "-x"], 2),
                                        (["gui", "extra"], 2), (["frobnicate"], 2)])
def test_help_version_and_bad_usage(argv, code, capsys) -> None:
    from minsheng_desktop.cli import main

    assert main(argv) == code
    captured = capsys.readouterr()
    if code == 2:
        assert "命令行参数有误" in captured.err and len(captured.err.strip().splitlines()) == 1
    else:
        assert "minsheng" in captured.out


def test_building_the_parser_loads_no_command(tmp_path) -> None:
    """The window's start and `--version` parse the whole command line but import no command's use cases."""
    code = ("import sys\n"
            "from minsheng_desktop.cli.entry import parse\n"
            "parse(['--db', 'x.db'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('minsheng_desktop.cli.', 'minsheng_desktop.importers',"
            " 'minsheng_desktop.services.importing', 'minsheng_desktop.services.collect', 'openpyxl', 'lxml'))))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ("['minsheng_desktop.cli.chinese_argparse', 'minsheng_desktop.cli.common', "
                                "'minsheng_desktop.cli.entry']")


FORMS = [
    ("000_wulong_2023_notice.pdf", "武隆区 2023年目标任务", "24件、26个项目"),
    ("004_chengkou_2023_notice.pdf", "城口县 2023年目标任务", "15件、15个项目"),
    ("000_wulong_2023_notice.html", "武隆区 2023年目标任务", "24件、26个项目"),
    ("004_chengkou_2023_notice.html", "城口县 2023年目标任务", "15件、15个项目"),
    ("legacy/004_chengkou_2023_list.xls", "城口县 2023年目标任务", "15件、15个项目"),
]


@pytest.mark.parametrize("name,head,counts", FORMS)
def test_import_each_form_whole_process(tmp_path, name, head, counts) -> None:
    """Every form through the command line, as a clerk or a script would run it; then the same list from the
    .docx reconciles to no change (the forms read the same projects)."""
    db = tmp_path / "m.db"
    r = run("--db", str(db), "import-targets", str(FIXTURES / name))
    assert r.returncode == 0, r.stderr
    assert head in r.stdout and counts in r.stdout
    assert r.stderr == ""  # no progress lines when stderr is not a terminal, no library warnings
    docx = "000_wulong_2023_notice.docx" if "wulong" in name else "004_chengkou_2023_notice.docx"
    r = run("--db", str(db), "import-targets", "--dry-run", str(FIXTURES / docx))
    assert r.returncode == 0, r.stderr
    assert "与已导入的目标任务相同，没有变化" in r.stdout, r.stdout


def test_import_refuses_a_broken_pdf_in_one_line(tmp_path) -> None:
    bad = tmp_path / "通知.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF")
    db = tmp_path / "m.db"
    r = run("--db", str(db), "import-targets", str(bad))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "通知.pdf" in r.stderr and "PDF" in r.stderr
    assert not db.exists() or db.stat().st_size == 0 or "已导入" not in r.stdout


ENGLISH = re.compile(r"\b(usage|argument|arguments|required|invalid|choice|expected|unrecognized|allowed|options|"
                     r"show this help)\b", re.I)


@pytest.mark.parametrize("argv,words", [
    (["export", "--month", "2023-05"], ["缺少必需的参数", "--format", "--out"]),
    (["export", "--month", "2023-05", "--format", "pdf", "--out", "x"], ["--format", "'pdf'", "无效", "'xlsx'"]),
    (["frobnicate"], ["命令", "'frobnicate'", "无效", "'import-targets'"]),
    (["import-targets"], ["缺少必需的参数", "FILE"]),
    (["dump", "--year", "abc"], ["--year", "'abc'", "不是整数"]),
    (["mail", "--month", "2023-05", "--eml", "x", "--send"], ["--send", "不能与", "--eml"]),
    (["--db"], ["--db", "需要一个值"]),
    (["gui", "extra"], ["无法识别的参数", "extra"]),
    (["mail", "--month", "2023-05"], ["--eml", "--send", "必须给出其中一个"]),
])
def test_argparse_speaks_chinese(argv, words, capsys) -> None:
    """argparse's own messages are translated, not only prefixed (issue 18 item 5)."""
    from minsheng_desktop.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("命令行参数有误：") and len(err.splitlines()) == 1
    assert all(w in err for w in words), err
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["mail", "-h"]])
def test_help_pages_are_chinese(argv, capsys) -> None:
    from minsheng_desktop.cli import main

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：minsheng") and "选项" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out.replace("--", "")), out


def test_an_untranslated_message_keeps_its_text() -> None:
    from minsheng_desktop.cli.chinese_argparse import translate

    assert translate("something new in Python 3.99") == "something new in Python 3.99"
    assert translate("argument --x: something new") == "参数 --x：something new"
