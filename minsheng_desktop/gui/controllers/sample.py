"""The welcome panel and the sample data (issue 16): an empty database shows the welcome panel instead of an empty
tree; 打开示例数据 recreates the sample database (services.sample, in a worker) and puts it in place of the
clerk's in this window, with a banner and 示例数据 in the title bar; 回到我的数据 — or importing a notice, which
is always meant for the clerk's own data — puts the clerk's database back.

The clerk's database is closed while the sample is open (its lock stays held by this window) and is never
written to by any of this; the sample has its own folder, so its backups never mix with the clerk's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ...services.database import StoreError, open_database
from ...services.sample import SAMPLE_TODAY, create_sample, sample_db_path
from .. import dialogs, startup, tasks

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from ...services.database import Database
    from ..welcome import SampleBanner, WelcomePanel
    from .navigation import NavigationController
    from .tools import MailController
    from .window import Window


class SampleController:
    def __init__(self, window: Window, nav: NavigationController, mail: MailController) -> None:
        self.w = window
        self.nav, self.mail = nav, mail
        self.state = window.state
        self.clerk_path: Path = window.state.db_path
        self.lock: QLockFile | None = None  # the sample database's, while it is open here
        self.welcome: WelcomePanel | None = None  # built when first needed (an empty database)
        self.banner: SampleBanner | None = None
        self.opening: tasks.Task | None = None
        self._today: date | None = None  # the clerk's today, kept while the sample's is used
        self._closed = False
        self._clerk_key: str | None = None
        self.stack = QStackedWidget()
        self.main = QWidget()

    # ------------------------------------------------------------ the window's centre
    def central(self, parts: QWidget) -> QWidget:
        """The stack the window shows: the welcome panel, or the banner (while the sample is open) over ``parts``."""
        lay = QVBoxLayout(self.main)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(parts, 1)
        self.stack.addWidget(self.main)
        self.w.model.modelReset.connect(self.update)
        return self.stack

    def update(self) -> None:
        """After the lists were read: the welcome panel when there is none, else the window's parts."""
        if self.state.lists:
            self.stack.setCurrentWidget(self.main)
            return
        if self.welcome is None:
            from ..welcome import WelcomePanel  # deferred: only an empty database shows it

            self.welcome = WelcomePanel()
            self.welcome.importClicked.connect(self.w.choose_import)
            self.welcome.sampleClicked.connect(self.open_sample)
            self.stack.insertWidget(0, self.welcome)
        self.stack.setCurrentWidget(self.welcome)

    @property
    def welcome_shown(self) -> bool:
        return self.welcome is not None and self.stack.currentWidget() is self.welcome

    def _show_banner(self, on: bool) -> None:
        if on and self.banner is None:
            from ..welcome import SampleBanner  # deferred: as WelcomePanel above

            self.banner = SampleBanner()
            self.banner.backClicked.connect(self.leave)
            self.main.layout().insertWidget(0, self.banner)
        if self.banner is not None:
            self.banner.setVisible(on)

    # ------------------------------------------------------------ opening the sample
    def open_sample(self) -> None:
        """Recreate the sample database in a worker, then show it in this window."""
        w = self.w
        if self.state.sample or self.opening is not None:
            return
        w.form.flush()
        if w.form.has_errors and not dialogs.ask(
                w, "有填写有误的项", "表单中有填写有误的项（见红字），这些项没有保存。仍要打开示例数据吗？"):
            return
        path = sample_db_path()
        try:
            lock = startup.lock_database(path)
        except startup.DatabaseInUse:
            dialogs.show_error(w, "打开示例数据", "示例数据已在另一个窗口中打开：请切换到那个窗口查看。")
            return
        except StoreError as exc:
            dialogs.show_error(w, "打开示例数据", str(exc))
            return
        clerk = self.clerk_path

        def job(progress, _cancel):  # type: ignore[no-untyped-def]
            progress("正在准备示例数据…")
            return create_sample(path, clerk_db=clerk)

        if self.welcome is not None:
            self.welcome.sample_button.setEnabled(False)
        w.statusBar().showMessage("正在准备示例数据…")
        self.opening = tasks.run_task(job, lambda p: self._created(lock, p), lambda e: self._failed(lock, e))

    def _created(self, lock: QLockFile, path: Path) -> None:
        self.opening = None
        if self._closed:  # the window was closed while the sample was being made
            lock.unlock()
            return
        try:
            db = open_database(path)
        except StoreError as exc:
            self._failed(lock, exc)
            return
        self.lock = lock
        self._clerk_key = self.nav.current_key()  # the clerk's selection, for coming back to it
        self._swap(db, path, sample=True)
        self._show_banner(True)
        self.nav.go_to_first_match()  # a project, its form and its months, as a clerk sees them
        self.w.statusBar().showMessage("已打开示例数据。点“回到我的数据”返回您自己的数据。", 10000)

    def _failed(self, lock: QLockFile, error: BaseException) -> None:
        self.opening = None
        lock.unlock()
        if self._closed:
            return
        if self.welcome is not None:
            self.welcome.sample_button.setEnabled(True)
        self.w.statusBar().clearMessage()
        dialogs.show_error(self.w, "打开示例数据", f"没有打开示例数据：{error}")

    # ------------------------------------------------------------ back to the clerk's data
    def leave(self) -> bool:
        """The clerk's own database back in this window (True: it is, or it already was)."""
        w = self.w
        if not self.state.sample:
            return True
        w.form.flush()
        try:
            db = startup.open_database(w, self.clerk_path)
        except StoreError as exc:
            dialogs.show_error(w, "回到我的数据", str(exc))
            return False
        self._swap(db, self.clerk_path, sample=False)
        if self._clerk_key:
            self.nav.select_key(self._clerk_key)
        self._release()
        self._show_banner(False)
        if self.welcome is not None:
            self.welcome.sample_button.setEnabled(True)
        w.statusBar().showMessage("已回到您自己的数据。", 8000)
        return True

    def _swap(self, db: Database, path: Path, *, sample: bool) -> None:
        w = self.w
        tasks.wait_all()  # the months read ahead use the database file: not in the middle of one
        self.state.db.close()
        self.state.db_path = path
        self.state.sample = sample
        # The sample is seen as on the day it was made (December due), the clerk's data as on this day.
        if sample:
            self._today, self.state.today = self.state.today, SAMPLE_TODAY
        elif self._today is not None:
            self.state.today, self._today = self._today, None
        self.state.swap_database(db)
        w.form.db = db  # the form only keeps this reference (as after a restore: controllers/backup.py)
        self.mail.set_database(db)
        self.nav.reload()
        self.nav.reselect()

    def close(self) -> None:
        """The window is closing: the sample's lock given up, a sample still being made not shown."""
        self._closed = True
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None
