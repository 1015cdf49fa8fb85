"""Background work: one QThreadPool helper with progress, cancel and result signals."""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("minsheng.gui")

# A job gets a progress callback (a short Chinese line, optionally a fraction 0..1) and a cancel flag; it must
# not touch Qt widgets and must open its own Database (sqlite connections belong to the thread that opened them).
Progress = Callable[..., None]
Job = Callable[[Progress, threading.Event], Any]


class TaskSignals(QObject):
    """Lives in the GUI thread, so every signal reaches its slots there (queued across threads)."""

    progress = Signal(str)
    fraction = Signal(float)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()


class Task(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.signals = TaskSignals()
        self.cancelled = threading.Event()
        self.setAutoDelete(False)  # Python keeps the reference (see _running) until finished

    def cancel(self) -> None:
        """Ask the job to stop: it checks the flag between steps (and hands it to what it calls)."""
        self.cancelled.set()

    def _progress(self, text: str, fraction: float | None = None) -> None:
        self.signals.progress.emit(text)
        if fraction is not None:
            self.signals.fraction.emit(float(fraction))

    def run(self) -> None:
        try:
            value = self.job(self._progress, self.cancelled)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which tells the clerk
            log.exception("background task failed")
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


_running: set[Task] = set()


def run_task(job: Job, on_result: Callable[[Any], None], on_error: Callable[[BaseException], None],
             on_progress: Callable[[str], None] | None = None,
             on_fraction: Callable[[float], None] | None = None) -> Task:
    """Start ``job`` on the global pool; the callbacks run on the GUI thread."""
    task = Task(job)
    task.signals.result.connect(on_result)
    task.signals.error.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    if on_fraction is not None:
        task.signals.fraction.connect(on_fraction)
    _running.add(task)
    task.signals.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task


def wait_all(msecs: int = 10000) -> bool:
    """Used on close and in tests: wait for running jobs."""
    return QThreadPool.globalInstance().waitForDone(msecs)
