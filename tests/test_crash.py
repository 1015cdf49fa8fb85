"""Kill the program (SIGKILL) at random moments while it saves and imports: nothing reported saved is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minsheng_desktop.services.backup import check_database
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.services.database import select_list
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database

from .conftest import FIXTURES
from .test_reconcile import make_revised

WORKER = Path(__file__).with_name("crash_worker.py")
ROUNDS = int(os.environ.get("MINSHENG_CRASH_ROUNDS", "25"))

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _run_and_kill(args: list[str], rng: random.Random) -> list[str]:
    proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    # Wait for the first line so the kill lands in the middle of the work, not in interpreter start-up.
    first = proc.stdout.readline()
    time.sleep(rng.uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    rest, err = proc.communicate(timeout=30)
    lines = [ln for ln in (first + rest).splitlines() if ln.strip()]
    assert lines, err
    return lines


def test_kill_while_saving_reports(tmp_path) -> None:
    db_path = tmp_path / "m.db"
    with Database(db_path) as db:
        import_file(db, FIXTURES / "000_wulong_2023_notice.docx")
    rng = random.Random(1234)
    for _ in range(ROUNDS):
        lines = _run_and_kill(["save", str(db_path)], rng)
        _, n, pid = lines[-1].split()
        assert check_database(db_path) == []
        with Database(db_path) as db:
            got = report_repo.get_report(db, pid, "2023-05")
            assert got is not None
            value = int(got.progress[1:])
            # the last change reported saved is there (or one later that committed before its line was printed)
            assert value >= int(n)
            assert got.indicator_actuals == {"x": float(value)}
            assert got.percent == value % 100


def test_kill_while_importing(tmp_path) -> None:
    db_path = tmp_path / "m.db"
    revised = make_revised(tmp_path)
    original = FIXTURES / "000_wulong_2023_notice.docx"
    with Database(db_path) as db:
        import_file(db, original)
        state_a = sorted((p.number, p.name, p.withdrawn) for p in projects_of(db, select_list(db).id))
    other = tmp_path / "o.db"
    with Database(other) as db:
        import_file(db, original)
        import_file(db, revised)
        state_b = sorted((p.number, p.name, p.withdrawn) for p in projects_of(db, select_list(db).id))
        import_file(db, original)  # back again: the added project is now withdrawn
        state_c = sorted((p.number, p.name, p.withdrawn) for p in projects_of(db, select_list(db).id))
    assert len({str(state_a), str(state_b), str(state_c)}) == 3
    rng = random.Random(99)
    for _ in range(ROUNDS):
        _run_and_kill(["import", str(db_path), str(original), str(revised)], rng)
        assert check_database(db_path) == []
        with Database(db_path) as db:
            state = sorted((p.number, p.name, p.withdrawn) for p in projects_of(db, select_list(db).id))
        assert state in (state_a, state_b, state_c)  # one whole import or another, never half of one
