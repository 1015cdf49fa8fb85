"""Fuzzing the importer with mutated real fixtures: no traceback reaches the clerk, a failed import changes nothing."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng_desktop.domain.model import ParsedList
from minsheng_desktop.importers import ImportFailure, read_target_list
from minsheng_desktop.services.importing import apply_import, import_file, preview_import
from minsheng_desktop.storage.db import Database

from .conftest import FIXTURES

SOURCES = {
    "000_wulong_2023_notice.docx": "word/document.xml",
    "004_chengkou_2023_notice.docx": "word/document.xml",
    "000_wulong_2023_list.xlsx": "xl/worksheets/sheet1.xml",
    "004_chengkou_2023_list.xlsx": "xl/sharedStrings.xml",
}
RAW = {name: (FIXTURES / name).read_bytes() for name in SOURCES}
FUZZ = settings(max_examples=260, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

mutation = st.tuples(st.integers(0, 3), st.floats(0, 1), st.floats(0, 1), st.binary(max_size=40))


def _mutate(data: bytes, ops: list[tuple[int, float, float, bytes]]) -> bytes:
    b = bytearray(data)
    for kind, a, c, junk in ops:
        if not b:
            break
        i = int(a * (len(b) - 1))
        j = min(len(b), i + 1 + int(c * 200))
        if kind == 0:  # overwrite
            b[i:i + len(junk)] = junk
        elif kind == 1:  # delete a span
            del b[i:j]
        elif kind == 2:  # duplicate a span elsewhere
            k = int(c * (len(b) - 1))
            b[k:k] = b[i:j]
        else:  # insert junk
            b[i:i] = junk
    return bytes(b)


def _rezip(name: str, member: str, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(RAW[name])) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, new if info.filename == member else zin.read(info.filename))
    return out.getvalue()


def _read(data: bytes, suffix: str) -> ParsedList | ImportFailure:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"fuzz{suffix}"
        p.write_bytes(data)
        try:
            return read_target_list(p)  # the importer itself, not the safety net, must raise only ImportFailure
        except ImportFailure as exc:
            assert exc.message and "\n" not in exc.message and "Traceback" not in exc.message
            return exc


@FUZZ
@given(name=st.sampled_from(sorted(SOURCES)), ops=st.lists(mutation, min_size=1, max_size=6))
def test_mutated_xml_inside_the_zip(name: str, ops) -> None:
    with zipfile.ZipFile(io.BytesIO(RAW[name])) as z:
        xml = z.read(SOURCES[name])
    result = _read(_rezip(name, SOURCES[name], _mutate(xml, ops)), Path(name).suffix)
    assert isinstance(result, (ParsedList, ImportFailure))


@FUZZ
@given(name=st.sampled_from(sorted(SOURCES)), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_bytes_of_the_file(name: str, ops) -> None:
    result = _read(_mutate(RAW[name], ops), Path(name).suffix)
    assert isinstance(result, (ParsedList, ImportFailure))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(mutation, min_size=1, max_size=6))
def test_failed_import_never_changes_the_database(ops) -> None:
    with tempfile.TemporaryDirectory() as d:
        db_path = Path(d) / "m.db"
        with Database(db_path) as db:
            import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = hashlib.sha256(db_path.read_bytes()).hexdigest()
        name = "000_wulong_2023_notice.docx"
        with zipfile.ZipFile(io.BytesIO(RAW[name])) as z:
            xml = z.read(SOURCES[name])
        bad = Path(d) / "bad.docx"
        bad.write_bytes(_rezip(name, SOURCES[name], _mutate(xml, ops)))
        with Database(db_path) as db:
            try:
                preview = preview_import(db, bad)
            except ImportFailure:
                preview = None
            if preview is None:
                db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                changed = hashlib.sha256(db_path.read_bytes()).hexdigest() != before
                assert not changed
            else:
                apply_import(db, preview)  # a readable mutation is a legitimate import
