"""A guard against PySide6 6.12.0's reference-counting bug.

In PySide6/shiboken6 6.12.0 every call of a C++ function that returns nothing (``setText``, ``update``,
``processEvents`` …) takes one reference from ``None``, and every ``Signal.emit`` one from ``True``. The window
makes dozens of such calls per selection (measured: ~74 per project selected, ~34 per month switch), so
``None``'s count — about 11,000 after start — reached zero after a hundred-odd selections: "Fatal Python error:
none_dealloc", the program gone mid-work. 6.11 does not do this; pyproject.toml excludes 6.12.0.

A program running on that release anyway (a system PySide6, an old bundle) is kept alive here: ``guard()``
measures the loss once at start (64 calls, ~30 µs) and, only where there is one, gives ``None``, ``True`` and
``False`` a reserve of references no session can use up (2**40: a billion selections). On Python 3.12 and later
these objects are immortal and nothing is done. (The same release also took a reference for every ``None`` a
Python ``data()`` override returned to C++; the first session's ``variant_fix`` wrapper gave those back one by
one — the reserve covers them too, so it is gone.)
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("minsheng.gui")

RESERVE = 1 << 40
_PROBES = 64


def loses_references() -> bool:
    """True when calling a void C++ function takes a reference from None (the installed PySide6 has the bug)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - _PROBES // 2


def guard() -> bool:
    """Give None, True and False a reserve of references when the installed PySide6 loses them; True if done."""
    if sys.version_info >= (3, 12) or not loses_references():
        return False
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (3.11 and earlier).
        ctypes.c_ssize_t.from_address(id(obj)).value += RESERVE
    import PySide6

    log.warning("PySide6 %s loses references to None on every call; a reserve was added (please install 6.11 "
                "or a fixed release)", PySide6.__version__)
    return True
