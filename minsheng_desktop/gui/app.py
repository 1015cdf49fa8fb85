"""Starting the window: Qt translations, high-DPI, the last-resort error handler, then the main window."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from types import TracebackType

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from .. import APP_ID, APP_NAME
from ..logs import configure_logging, setup_logging
from ..services.database import StoreError
from . import dialogs, input_method
from .qt_strings import MissingQtStrings

log = logging.getLogger("minsheng.gui")
_translators: list[QTranslator] = []  # must outlive the application's use of them


def load_translations(app: QCoreApplication) -> bool:
    """Qt's own zh_CN strings, so standard buttons and Qt's own file dialog ("查找范围", "文件类型") speak Chinese
    too. From Qt's translations folder; else from PySide6's own (as the wheel and the bundle lay it out), should
    the bundle's Qt look elsewhere (packaging/minsheng.spec keeps qtbase_zh_CN.qm)."""
    package = os.path.dirname(PySide6.__file__)
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
               os.path.join(package, "Qt", "translations"), os.path.join(package, "translations")]
    missing = MissingQtStrings(app)  # installed first: asked last, for what the catalogue lacks
    app.installTranslator(missing)
    _translators.append(missing)
    ok = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if any(tr.load(name, path) for path in folders):
            app.installTranslator(tr)
            _translators.append(tr)
            ok = True
    return ok


def error_message(exc: BaseException) -> str:
    """The short Chinese line the clerk sees for an unexpected exception."""
    from ..services.importing import ImportFailure  # deferred: it loads the importers and lxml (~45 ms)

    if isinstance(exc, (StoreError, ImportFailure)):
        return str(exc)
    return (f"程序出错（{type(exc).__name__}）：刚才的操作没有完成，已填写的内容均已保存，可以继续使用。"
            f"详细信息已写入日志：{setup_logging()}")


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    try:
        dialogs.show_error(QApplication.activeWindow(), "程序出错", error_message(exc))
    except Exception:  # noqa: BLE001 - never raise from the hook itself
        sys.__excepthook__(kind, exc, tb)


def make_app(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    load_translations(app)
    return app


def set_version(app: QCoreApplication) -> None:
    from ..version import version  # deferred to after the first paint: importlib.metadata costs ~15 ms

    app.setApplicationVersion(version())


BROKEN_PYSIDE6 = (6, 12, 0)


def pyside6_refusal(pyside6: tuple[int, ...], python: tuple[int, ...]) -> str | None:
    """Why the window cannot run on these versions (one Chinese message), or None when it can.

    PySide6 6.12.0 takes a reference from None on every call of a Qt function that returns nothing: below
    Python 3.12 (where None is not yet immortal) its count runs out after a hundred-odd selections and the
    program dies ("Fatal Python error: none_dealloc"). pyproject.toml excludes that release there; this catches
    a copy installed some other way."""
    if tuple(python[:2]) >= (3, 12) or tuple(pyside6[:3]) != BROKEN_PYSIDE6:
        return None
    return (f"无法启动：已安装的 PySide6 6.12.0 在 Python {python[0]}.{python[1]}（3.12 以下）上有缺陷，"
            "窗口使用一段时间后会崩溃退出。请安装其他版本的 PySide6，例如运行："
            'pip install "PySide6-Essentials!=6.12.0"；或改用发布的安装包。')


def refuse(argv: list[str], message: str) -> int:
    """Say ``message`` on stderr and, where a QApplication can be made, in a message box; exit status 2."""
    log.error("%s", message)
    print(message, file=sys.stderr, flush=True)
    try:
        make_app(argv)
        dialogs.show_error(None, APP_NAME, message)
    except Exception:  # noqa: BLE001 - stderr has it already
        log.warning("no message box for the refusal", exc_info=True)
    return 2


def run(argv: list[str]) -> int:
    configure_logging()
    refusal = pyside6_refusal(PySide6.__version_info__, sys.version_info)
    if refusal is not None:
        return refuse(argv, refusal)
    input_method.apply()  # Chinese input through fcitx5 (Linux); must precede QApplication
    app = make_app(argv)
    sys.excepthook = excepthook
    # deferred: the window's modules load only once the PySide6 check above has passed (a refused PySide6 is
    # told so without loading them)
    from . import main_window

    try:
        window = main_window.MainWindow(settings=QSettings())
    except StoreError as exc:  # e.g. a database from a newer version: say so and stop, file untouched
        dialogs.show_error(None, APP_NAME, str(exc))
        return 2
    window.after_first_paint(lambda: set_version(app))  # reading it (importlib.metadata) costs ~15 ms
    window.show()
    return app.exec()
