"""Progress and cancellation for long reads (OCR of a scan, a many-page PDF, a conversion through LibreOffice).

A reader calls ``progress.step(done, total, text)`` between units of work (a page, a cell batch). The caller's
``report`` sees it (the window's progress bar, the command line's stderr line) and ``cancelled`` is asked at the
same moment; when it says yes the read stops with ImportCancelled and nothing has been written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import ImportFailure


class ImportCancelled(ImportFailure):
    """The clerk cancelled a read. Not an error: nothing was read and nothing was stored."""

    def __init__(self) -> None:
        super().__init__("已取消导入，数据库没有任何改变。")


@dataclass
class Progress:
    report: Callable[[int, int, str], None] | None = None
    cancelled: Callable[[], bool] | None = None

    def step(self, done: int, total: int, text: str) -> None:
        """Report ``done`` of ``total`` units (``text`` in Chinese, e.g. "正在识别第 2/6 页"); stop if cancelled."""
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        if self.report is not None:
            self.report(done, total, text)

    def check(self) -> None:
        """Stop here if the clerk has cancelled (for loops that report nothing new)."""
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()


NO_PROGRESS = Progress()
