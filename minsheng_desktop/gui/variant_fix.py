"""A work-around for a reference-counting bug in PySide6 6.12: when a Python override of a virtual that returns
a QVariant (QAbstractItemModel.data, headerData) returns None and is called from C++ (a view painting, a proxy
model, QModelIndex.data), None loses one reference per call. A model asked tens of thousands of times (a tree
of 20,000 projects, the 本月填报 table) drove None's count to zero: "Fatal Python error: none_dealloc".

``variant`` gives None back the reference the conversion takes. Called from Python the method gains one
reference instead, which is harmless (None is never freed while the interpreter runs).

pyproject.toml now excludes 6.12.0, and gui.refcount_guard covers the same release's wider loss (every void
call); this stays as a second line for a program running on that release."""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable
from typing import Any, TypeVar

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None

F = TypeVar("F", bound=Callable[..., Any])


def variant(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        value = fn(*args, **kwargs)
        if value is None:
            _incref(None)
        return value

    return wrapper  # type: ignore[return-value]
