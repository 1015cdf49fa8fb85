"""Write THIRD-PARTY-NOTICES.txt: every distribution the program runs on, with its licence and licence texts.

    python packaging/third_party_notices.py [--out FILE] [--check]

The list is the closure of pyproject.toml's runtime dependencies (markers evaluated for this interpreter),
read from the installed distributions' metadata, so run it with the interpreter that builds the bundle:
minsheng.spec does, and puts the result in every bundle and installer; the copy at the top of the repository
is made from the development venv. --check exits 1 if FILE does not name every distribution of the closure
(tests/test_packaging.py runs it).

Some wheels carry no licence file (PySide6, shiboken6 — Qt's licences are in Qt's own sources): for those the
SPDX expression from the metadata is given, with the text of the licence from /usr/share/common-licenses when
this system has it, and always where the source can be had (the LGPL's condition for the bundled Qt).
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

try:
    import tomllib
except ImportError:  # Python 3.10: the build and CI run 3.11+, this only keeps --help working
    tomllib = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE)[^/]*$", re.I)

# What the metadata does not say, written once here.
EXTRA = {
    "pyside6-essentials": "Qt for Python and the Qt libraries it ships are used under the LGPL-3.0. The bundle "
                          "keeps them as separate shared libraries (PySide6/Qt/lib), which a user may replace. "
                          "Source: https://download.qt.io/official_releases/QtForPython/ and "
                          "https://download.qt.io/official_releases/qt/",
    "shiboken6": "Part of Qt for Python; see pyside6-essentials.",
    "rapidocr": "The PP-OCR detection and recognition models inside this wheel come from PaddleOCR "
                "(https://github.com/PaddlePaddle/PaddleOCR), Apache-2.0.",
}
COMMON_LICENSES = {"LGPL-3.0-only": "LGPL-3", "GPL-3.0": "GPL-3", "GPL-2.0-only": "GPL-2", "Apache-2.0": "Apache-2.0"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements() -> list[str]:
    if tomllib is None:
        raise SystemExit("Python 3.11 or newer is needed to read pyproject.toml")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def closure() -> list[md.Distribution]:
    """The installed distributions the runtime dependencies need, each once, sorted by name."""
    env = {**default_environment(), "extra": ""}
    seen: dict[str, md.Distribution] = {}
    todo = [Requirement(r) for r in runtime_requirements()]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        key = norm(req.name)
        if key in seen:
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            raise SystemExit(f"{req.name} is not installed: install the project's dependencies first") from None
        seen[key] = dist
        todo.extend(Requirement(r) for r in dist.requires or [])
    return [seen[k] for k in sorted(seen)]


def licence_of(dist: md.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return expr
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    short = (meta.get("License") or "").strip()
    if short and len(short) < 80 and "\n" not in short:
        return short
    return "; ".join(classifiers) or "（未注明 / not stated）"


def homepage_of(dist: md.Distribution) -> str:
    meta = dist.metadata
    if meta.get("Home-page"):
        return meta["Home-page"]
    for url in meta.get_all("Project-URL") or []:
        label, _, link = url.partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "repository", "source code"}:
            return link.strip()
    return ""


def licence_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    texts, seen = [], set()
    for f in dist.files or []:
        if not LICENCE_FILE.search(str(f)) or str(f).endswith((".py", ".html")):
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.strip() and text not in seen:
            seen.add(text)
            texts.append((str(f), text.strip()))
    if not texts:
        for spdx, name in COMMON_LICENSES.items():
            path = Path("/usr/share/common-licenses") / name
            if spdx in licence_of(dist) and path.is_file() and name not in seen:
                seen.add(name)
                texts.append((str(path), path.read_text(encoding="utf-8").strip()))
    return texts


def render(dists: list[md.Distribution]) -> str:
    out = [
        "民生实事台账 — 第三方软件声明 / Third-party notices",
        "",
        "本程序使用下列开源软件，按其许可证分发。/ This program uses the following open-source software,",
        "distributed under the licences below. The program itself: MIT (see LICENSE).",
        f"Generated by packaging/third_party_notices.py with Python {sys.version.split()[0]}.",
        "",
    ]
    width = max(len(d.metadata["Name"]) for d in dists) + 2
    vwidth = max(len(d.version) for d in dists) + 2
    for d in dists:
        out.append(f"{d.metadata['Name']:<{width}}{d.version:<{vwidth}}{licence_of(d)}")
    for d in dists:
        out += ["", "=" * 78, f"{d.metadata['Name']} {d.version}", f"License: {licence_of(d)}"]
        if homepage_of(d):
            out.append(f"Homepage: {homepage_of(d)}")
        if norm(d.metadata["Name"]) in EXTRA:
            out.append(EXTRA[norm(d.metadata["Name"])])
        for name, text in licence_texts(d):
            out += ["", f"--- {name}", "", text]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "THIRD-PARTY-NOTICES.txt")
    ap.add_argument("--check", action="store_true", help="only check that --out names every distribution")
    args = ap.parse_args(argv)
    dists = closure()
    if args.check:
        text = args.out.read_text(encoding="utf-8")
        missing = [d.metadata["Name"] for d in dists if f"\n{d.metadata['Name']} " not in text]
        if missing:
            print(f"{args.out} lacks: {', '.join(missing)} — run packaging/third_party_notices.py", file=sys.stderr)
            return 1
        return 0
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(render(dists), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{args.out}: {len(dists)} distributions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
