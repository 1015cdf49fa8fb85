"""The pictures in docs/sample/: a typical month's documents as the 发展改革委 receives them, rendered with
LibreOffice and poppler (python scripts/sample_exports.py; needs soffice and pdftoppm).

武隆区 2023, December: every project filled as a clerk fills it (tests/typical_month.py: progress 60–110
characters, problems and next steps 20–45, investment and indicator values). 区住房城乡建委 sends its table
(.docx and .xlsx) with the cover letter; the district's whole table (26 projects) shows a dense month."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minsheng_desktop.services.database import open_database, select_list  # noqa: E402
from minsheng_desktop.exporters.formats import FORMATS  # noqa: E402
from minsheng_desktop.services.month_data import collect_month  # noqa: E402
from tests.typical_month import typical_db  # noqa: E402

OUT = ROOT / "docs" / "sample"
NOTICE = ROOT / "tests" / "fixtures" / "000_wulong_2023_notice.docx"
UNIT = "区住房城乡建委"
DPI = 100
# (picture name, scope, kind, pages)
SAMPLES = (
    ("unit-table", UNIT, "docx", 1), ("unit-sheet", UNIT, "xlsx", 1), ("unit-letter", UNIT, "letter", 1),
    ("district-table", None, "docx", 2),
)


def render(src: Path, work: Path, pages: int, name: str) -> list[Path]:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(work), str(src)], check=True, capture_output=True, timeout=180)
    pdf = work / (src.stem + ".pdf")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", str(pages), "-png", str(pdf), str(work / name)],
                   check=True)
    made = sorted(work.glob(f"{name}-*.png"))
    out = []
    from PIL import Image

    for i, png in enumerate(made, start=1):
        target = OUT / f"{name}-{i}.png"
        with Image.open(png) as img:  # black on white: 16 greys keep it crisp at a fraction of the size
            img.convert("L").quantize(16).save(target, optimize=True)
        out.append(target)
    return out


def main() -> int:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("soffice and pdftoppm are needed", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for name, *_ in SAMPLES:  # only this script's own pictures (the plan and year-end ones are other scripts')
        for old in OUT.glob(f"{name}-*.png"):
            old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db_path, _ = typical_db(work / "wl.db", NOTICE, ("2023-11", "2023-12"),
                                settings={"reporter_name": "张三",
                                          "reporter_phone": "023-77771234"})
        with open_database(db_path) as db:
            tl = select_list(db)
            for name, unit, kind, pages in SAMPLES:
                data = collect_month(db, tl, "2023-12", unit, today=date(2024, 1, 5))
                build, suffix = FORMATS[kind].build, FORMATS[kind].suffix
                src = work / f"{name}{suffix}"
                src.write_bytes(build(data))
                for png in render(src, work, pages, name):
                    print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
