"""Each form a notice arrives in, imported whole process (`minsheng import-targets --dry-run`), against a peer
that does less of the same work in the same run:

- text PDF        vs pdfplumber opening it and extracting its tables (`extract_tables()` on every page)
- scanned PDF     vs the `tesseract` command reading the same pages rendered at 150 dpi, one thread, text only
                     (no table structure, no fields); the pages are rendered before the clock starts
- web page        vs the same notice as .docx through the same command (the form costs no more than .docx)
- .xls            vs the same list as .xlsx through the same command
- .doc            vs LibreOffice converting it to .docx (the conversion is most of our work there)
- peak resident memory of the scan import (goal ≤ 1 GiB)

Usage: python benchmarks/bench_forms.py     (also run by benchmarks/run.py)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
PEAK_RSS = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024"


def _import_cmd(db: Path, *files: Path) -> list[str]:
    return [sys.executable, "-m", "minsheng_desktop", "--db", str(db), "import-targets", "--dry-run",
            *map(str, files)]


def run(_data: Path, row: Callable[..., None], median_time: Callable[..., float],
        process_time: Callable[..., float]) -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        db = d / "m.db"
        pdf = FIX / "000_wulong_2023_notice.pdf"
        floor = process_time([py, "-c", "import pdfplumber, sys\n"
                              f"with pdfplumber.open(r'{pdf}') as f: [p.extract_tables() for p in f.pages]"], runs=5)
        row("import text PDF notice, 26 projects (whole process)", process_time(_import_cmd(db, pdf), runs=5),
            floor, 1.5)

        html = FIX / "000_wulong_2023_notice.html"
        floor = process_time(_import_cmd(db, FIX / "000_wulong_2023_notice.docx"), runs=5)
        row("import saved web page (vs the .docx, whole process)", process_time(_import_cmd(db, html), runs=5),
            floor, 1.3)

        xls = FIX / "legacy" / "004_chengkou_2023_list.xls"
        if xls.exists():
            floor = process_time(_import_cmd(db, FIX / "004_chengkou_2023_list.xlsx"), runs=5)
            row("import .xls list (vs the .xlsx, whole process)", process_time(_import_cmd(db, xls), runs=5),
                floor, 1.3)

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        doc = FIX / "legacy" / "004_chengkou_2023_notice.doc"
        if soffice and doc.exists():
            out = d / "conv"
            floor = process_time([soffice, f"-env:UserInstallation=file://{d / 'lo-profile'}", "--headless",
                                  "--norestore", "--convert-to", "docx", "--outdir", str(out), str(doc)], runs=3)
            row("import .doc notice via LibreOffice (whole process)", process_time(_import_cmd(db, doc), runs=3),
                floor, 1.5)

        scan = FIX / "004_chengkou_2023_scanned.pdf"
        tesseract = shutil.which("tesseract")
        if tesseract is None:
            print("(scan row skipped: the tesseract command is not installed — apt-get install tesseract-ocr "
                  "tesseract-ocr-chi-sim)")
            return
        import pypdfium2 as pdfium

        pages = []
        pdf_doc = pdfium.PdfDocument(str(scan))
        for i in range(len(pdf_doc)):
            png = d / f"page-{i + 1}.png"
            pdf_doc[i].render(scale=150 / 72).to_pil().save(png)
            pages.append(png)
        pdf_doc.close()
        env = dict(os.environ, OMP_THREAD_LIMIT="1")

        def tesseract_pages() -> None:
            for png in pages:
                subprocess.run([tesseract, str(png), "-", "-l", "chi_sim"], capture_output=True, check=True, env=env)

        floor = median_time(tesseract_pages, runs=3)
        ours = process_time(_import_cmd(db, scan), runs=3)
        row(f"import scanned PDF, {len(pages)} pages (whole process)", ours, floor, 2.5)
        code = (f"import sys; sys.argv = {_import_cmd(db, scan)[2:]!r}; "
                "from minsheng_desktop.cli import main\n"
                "try:\n    main(sys.argv[1:])\nfinally:\n"
                f"    print({PEAK_RSS}, file=sys.stderr)")
        r = subprocess.run([py, "-c", code], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
        peak = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "?"
        print(f"{'resident memory (peak), importing the scan':<52} {peak:>9} MB  (goal ≤ 1024 MB)", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import median_time, process_time, row

    print(f"{'operation':<52} {'median':>12} {'floor':>12} {'ratio':>6} goal")
    run(Path(tempfile.gettempdir()), row, median_time, process_time)
