"""A worker the crash test kills with SIGKILL: it saves reports or imports lists in a loop and says so."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from minsheng_desktop.domain.model import Report  # noqa: E402
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.services.database import select_list  # noqa: E402
from minsheng_desktop.storage import reports as report_repo  # noqa: E402
from minsheng_desktop.storage.db import Database  # noqa: E402


def main() -> None:
    mode, db_path, *files = sys.argv[1:]
    db = Database(db_path)
    if mode == "save":
        t = select_list(db)
        pids = [p.id for p in projects_of(db, t.id) if p.is_leaf]
        i = 0
        while True:
            i += 1
            pid = pids[i % len(pids)]
            report_repo.save_report(db, Report(pid, "2023-05", status="on_track", percent=i % 100,
                                               progress=f"v{i}", indicator_actuals={"x": float(i)}))
            print(f"SAVED {i} {pid}", flush=True)
    else:
        k = 0
        while True:
            k += 1
            import_file(db, files[k % len(files)])
            print(f"IMPORTED {k}", flush=True)


if __name__ == "__main__":
    main()
