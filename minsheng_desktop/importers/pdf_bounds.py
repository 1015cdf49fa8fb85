"""How far a PDF may make pdfminer go, and the means of holding it there: the bounds (pages, one inflated
stream, one page's content and what it draws, the whole document), bounded stand-ins for the zlib, LZW and
run-length decoders pdfminer inflates streams with, the size of a page's content counted before the page is
laid out, and a layout device that stops a page drawing too many objects. Beyond a bound, TooLarge is raised;
pdf.py and pdf_pages.py turn it into one Chinese line.

pdfminer is imported inside the functions that use it, so that it loads when a PDF is read, not when the
program starts.
"""

from __future__ import annotations

import logging
import threading
import zlib
from io import BytesIO
from typing import Any

from .grid import MAX_PAGES

MAX_PDF_PAGES = MAX_PAGES  # refused before any page is read
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one inflated stream (content, font, object stream)
MAX_PAGE_CONTENT_BYTES = 2 * 1024 * 1024  # one page's content streams and the forms it draws (a page: ~20 KB)
MAX_DOC_CONTENT_BYTES = 32 * 1024 * 1024  # all pages' content together
MAX_PAGE_NESTING = 100_000  # arrays/dictionaries opened in one page's content (pdfminer keeps each open one)
MAX_PAGE_OBJECTS = 30_000  # characters + paths + images + forms drawn on one page (a dense page has ~5,000)
MAX_DOC_OBJECTS = 400_000  # the same over the whole document


class TooLarge(Exception):
    """A stream or a page beyond the bounds: a decompression bomb or a hostile file."""


# ---------------------------------------------------------------- bounded inflation inside pdfminer


_bound = threading.local()  # a tighter bound while a page's content streams are inflated


def _limit() -> int:
    return getattr(_bound, "limit", MAX_STREAM_BYTES)


class _BoundedInflater:
    def __init__(self, obj: Any) -> None:
        self._obj = obj
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._obj.decompress(data, max_length) if max_length else self._obj.decompress(data)
        self._out += len(out)
        if self._out > _limit():
            raise TooLarge()
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: the same answers, but no stream may inflate
    beyond MAX_STREAM_BYTES (zlib.decompress would build all of a 200 MB bomb before anyone could look)."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        d = zlib.decompressobj(*args[:1], **kwargs)  # wbits, as zlib.decompress(data, wbits, bufsize)
        limit = _limit()
        out = d.decompress(data, limit + 1)
        if len(out) > limit:
            raise TooLarge()
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> _BoundedInflater:
        return _BoundedInflater(zlib.decompressobj(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _bounded_lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder  # deferred: see the module's docstring

    out = bytearray()
    limit = _limit()
    for chunk in LZWDecoder(BytesIO(data)).run():
        out += chunk
        if len(out) > limit:
            raise TooLarge()
    return bytes(out)


def _bounded_rl(data: bytes) -> bytes:
    from pdfminer.runlength import rldecode  # deferred: see the module's docstring

    limit = _limit()
    if len(data) * 64 > limit:  # run-length inflates at most 128 bytes for 2: count first
        size, i = 0, 0
        while i < len(data):
            n = data[i]
            if n == 128:
                break
            if n < 128:
                size, i = size + n + 1, i + n + 2
            else:
                size, i = size + 257 - n, i + 2
            if size > limit:
                raise TooLarge()
    return rldecode(data)


_installed = False


def install_bounds() -> None:
    """Bound every inflation pdfminer does (page contents, fonts, object and cross-reference streams).
    Installed once; under the bound it answers exactly as the functions it replaces."""
    global _installed
    if _installed:
        return
    import pdfminer.pdftypes as pdftypes  # deferred: see the module's docstring

    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    pdftypes.lzwdecode = _bounded_lzw  # type: ignore[assignment]
    pdftypes.rldecode = _bounded_rl  # type: ignore[assignment]
    # pdfminer reports repairs of broken files on the logging root; the clerk sees one line or nothing.
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    logging.getLogger("pdfplumber").setLevel(logging.CRITICAL)
    _installed = True


# ---------------------------------------------------------------- one page's content and what it draws


def content_size(page_obj: Any) -> int:
    """Inflated size of a page's content streams and of the forms it may draw; refuses a page whose content
    would make pdfminer hold too much (too large, or too many arrays/dictionaries open at once)."""
    from pdfminer.pdftypes import PDFStream, resolve1  # deferred: see the module's docstring

    total = 0
    opened = 0
    _bound.limit = MAX_PAGE_CONTENT_BYTES
    try:
        for s in page_obj.contents or ():
            s = resolve1(s)
            if isinstance(s, PDFStream):
                data = s.get_data()
                total += len(data)
                if total > MAX_PAGE_CONTENT_BYTES:
                    raise TooLarge()
                opened += data.count(b"[") + data.count(b"<<") + data.count(b"{")
                if opened > MAX_PAGE_NESTING:
                    raise TooLarge()
        total += _forms_size(page_obj.resources, 0, set())
    finally:
        del _bound.limit
    if total > MAX_PAGE_CONTENT_BYTES:
        raise TooLarge()
    return total


def _forms_size(resources: Any, depth: int, seen: set[int]) -> int:
    from pdfminer.pdftypes import PDFStream, resolve1  # deferred: see the module's docstring

    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > 8:
        return 0
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return 0
    total = 0
    for ref in xobjects.values():
        obj = resolve1(ref)
        if not isinstance(obj, PDFStream) or id(obj) in seen:
            continue
        subtype = resolve1(obj.get("Subtype"))
        if getattr(subtype, "name", None) != "Form":
            continue
        seen.add(id(obj))
        data = obj.get_data()
        if data.count(b"[") + data.count(b"<<") + data.count(b"{") > MAX_PAGE_NESTING:
            raise TooLarge()
        total += len(data) + _forms_size(obj.get("Resources"), depth + 1, seen)
        if total > MAX_PAGE_CONTENT_BYTES:
            raise TooLarge()
    return total


def device_class() -> type:
    from pdfminer.converter import PDFPageAggregator  # deferred: see the module's docstring

    class _BoundedDevice(PDFPageAggregator):  # type: ignore[misc]
        """pdfminer's layout device, stopping a page that draws more than MAX_PAGE_OBJECTS objects."""

        count = 0
        limit = MAX_PAGE_OBJECTS

        def _tick(self) -> None:
            self.count += 1
            if self.count > self.limit:
                raise TooLarge()

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().paint_path(*args, **kwargs)

        def begin_figure(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().begin_figure(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().render_image(*args, **kwargs)

    return _BoundedDevice
