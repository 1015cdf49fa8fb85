"""Hostile and broken files are refused within bounded time and memory, with a clear message, writing nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minsheng_desktop.cli import main

from . import hostile
from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
TIME_BOUND_S = 20.0  # wall time, interpreter start included
MEMORY_BOUND_MB = 300  # peak resident memory of the importing process


@pytest.mark.parametrize("kind", sorted(hostile.ALL))
def test_hostile_file_refused_in_bounds(tmp_path, kind) -> None:
    path = hostile.ALL[kind](tmp_path)
    db = tmp_path / "m.db"
    assert main(["--db", str(db), "import-targets", str(FIXTURES / "004_chengkou_2023_list.xlsx")]) == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code = (
        "import sys\n"
        "from minsheng_desktop.cli import main\n"
        f"rc = main(['--db', r'{db}', 'import-targets', r'{path}'])\n"
        # VmHWM: this process's own peak (ru_maxrss would carry over the pytest process's peak across exec)
        "print('RSS_MB', int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024)\n"
        "sys.exit(rc)\n"
    )
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    elapsed = time.monotonic() - t0
    assert r.returncode == 2, r.stderr
    err = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and path.name in err[0] and "Traceback" not in r.stderr
    rss = int(r.stdout.split("RSS_MB")[1].split()[0])
    print(kind, f"{elapsed:.1f} s", f"{rss} MB")
    assert elapsed < TIME_BOUND_S, elapsed
    assert rss < MEMORY_BOUND_MB, rss
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_no_external_entity_is_ever_read(tmp_path) -> None:
    from minsheng_desktop.importers import ImportFailure, read_target_list

    with pytest.raises(ImportFailure, match="不安全"):
        read_target_list(hostile.external_entity(tmp_path))
