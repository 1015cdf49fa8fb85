"""Chinese input on Linux: which Qt input-method plug-in the window uses, decided before QApplication exists.

Clerks on UOS / Kylin / Deepin type through fcitx (pinyin, Sogou, 五笔). Our Qt (the PySide6 wheel, and
the release bundle, packaging/minsheng.spec) carries only the ``ibus`` and ``compose`` input plug-ins, no
fcitx one, and those desktops usually set ``QT_IM_MODULE=fcitx``: Qt then finds no such plug-in, falls back
to ``compose``, and Chinese never arrives. fcitx5 has an ibus front-end, but Qt's ibus plug-in reaches it
only in portal mode (``IBUS_USE_PORTAL``, any value — Qt takes even "0" as yes): with ``QT_IM_MODULE=ibus``
alone nothing arrives, with ``IBUS_USE_PORTAL=1`` as well "nihao"+space types 你好
(tests/gui/test_fcitx_input.py drives a real fcitx5).

So ``choose`` (pure: the environment, the names of the user's running processes and the plug-in files are its
inputs) returns the environment changes:

- not Linux, or a platform without a screen (offscreen, minimal): nothing;
- fcitx5 running, no fcitx Qt plug-in, and no requested module that this Qt has (``QT_IM_MODULE`` unset, or
  ``fcitx``): ``QT_IM_MODULE=ibus`` and ``IBUS_USE_PORTAL=1``;
- fcitx5 running and the clerk's own ``QT_IM_MODULE=ibus`` (no ibus-daemon): kept, ``IBUS_USE_PORTAL=1``
  added;
- a fcitx Qt plug-in present (someone put one in) and fcitx 5 or 4 running with nothing usable requested:
  ``QT_IM_MODULE=fcitx``;
- a requested module this Qt has (``ibus``, ``compose``, ``none``, ``fcitx`` with its plug-in): left alone;
- fcitx 4 running (older Kylin) with no fcitx plug-in: fcitx 4 has no ibus front-end, nothing can reach it —
  a warning in the log (README: install fcitx5 or ibus); with an ibus-daemon beside it, ``QT_IM_MODULE=ibus``
  where nothing usable was requested;
- ibus alone: nothing changes (ibus works as before).

``apply`` gathers the facts (``/proc``, Qt's plug-in folders) and sets the variables in ``os.environ``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Collection, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLibraryInfo  # the only Qt here; QApplication need not exist

log = logging.getLogger("minsheng.gui")

FCITX5 = "fcitx5"       # the process name (/proc/PID/comm) of fcitx 5
FCITX4 = "fcitx"        # ... of fcitx 4 (Kylin V10 and older UOS)
IBUS = "ibus-daemon"    # ... of ibus
NO_SCREEN = {"offscreen", "minimal"}  # Qt platforms where nothing is typed (tests, headless runs)

FCITX4_WARNING = ("fcitx 4 is running: it has no ibus front-end and this Qt has no fcitx plug-in, so Chinese "
                  "typed through fcitx cannot reach the window; install fcitx5 (with its ibus front-end) or "
                  "ibus, see README")


@dataclass(frozen=True)
class Choice:
    """What to set in the environment before QApplication is created, and why (for the log)."""

    changes: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    warning: str | None = None


def plugin_keys(files: Iterable[str]) -> set[str]:
    """The input-method keys (what QT_IM_MODULE may name) of the plug-in files in platforminputcontexts/."""
    keys: set[str] = set()
    for name in files:
        low = name.lower()
        if "fcitx" in low:  # fcitx5-qt's plug-in answers "fcitx" and "fcitx5" (and talks to fcitx 4 as well)
            keys |= {"fcitx", "fcitx5"}
        elif "ibus" in low:
            keys.add("ibus")
        elif "compose" in low:
            keys.add("compose")
        elif "virtualkeyboard" in low:
            keys.add("qtvirtualkeyboard")
    return keys


def requested_modules(env: Mapping[str, str]) -> list[str]:
    """The modules Qt will try, in order: QT_IM_MODULES (Qt 6.8+, ';'-separated) wins over QT_IM_MODULE."""
    many = [m.strip() for m in env.get("QT_IM_MODULES", "").split(";") if m.strip()]
    if many:
        return many
    one = env.get("QT_IM_MODULE", "").strip()
    return [one] if one else []


def _set_module(env: Mapping[str, str], module: str) -> dict[str, str]:
    """QT_IM_MODULE, and QT_IM_MODULES too where it is set (Qt 6.8+ reads it first)."""
    changes = {"QT_IM_MODULE": module}
    if env.get("QT_IM_MODULES", "").strip():
        changes["QT_IM_MODULES"] = module
    return changes


def choose(env: Mapping[str, str], processes: Collection[str], plugin_files: Iterable[str],
           platform: str = sys.platform) -> Choice:
    """The environment changes for Chinese input (see the module docstring for the table)."""
    if not platform.startswith("linux"):
        return Choice(reason="not Linux")
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in NO_SCREEN:
        return Choice(reason="no screen")
    keys = plugin_keys(plugin_files)
    requested = requested_modules(env)
    usable = [m for m in requested if m in keys or m == "none"]  # Qt uses the first it can load
    fcitx5, ibus = FCITX5 in processes, IBUS in processes
    fcitx4 = FCITX4 in processes and not fcitx5
    fcitx_plugin = "fcitx" in keys
    if not (fcitx5 or fcitx4):
        return Choice(reason="no fcitx running")
    if usable:
        if usable[0] == "ibus" and fcitx5 and not ibus and "IBUS_USE_PORTAL" not in env:
            return Choice({"IBUS_USE_PORTAL": "1"},
                          "fcitx5 is running and QT_IM_MODULE=ibus: its ibus front-end answers by the portal")
        stranded = fcitx4 and not ibus and usable[0] != "fcitx"  # nothing else reaches fcitx 4
        return Choice(reason=f"kept the requested input method {usable[0]}",
                      warning=FCITX4_WARNING if stranded else None)
    wanted = f" ({';'.join(requested)} has no plug-in here)" if requested else ""
    if fcitx_plugin:
        return Choice(_set_module(env, "fcitx"), f"fcitx is running and a fcitx Qt plug-in is here{wanted}")
    if fcitx5:
        changes = _set_module(env, "ibus")
        if "IBUS_USE_PORTAL" not in env:
            changes["IBUS_USE_PORTAL"] = "1"
        return Choice(changes,
                      f"fcitx5 is running, no fcitx Qt plug-in{wanted}: its ibus front-end by the portal")
    if ibus:  # fcitx 4 beside ibus: ibus at least types
        return Choice(_set_module(env, "ibus"), f"fcitx 4 and ibus are running{wanted}: ibus", FCITX4_WARNING)
    return Choice(reason="fcitx 4 without a fcitx Qt plug-in", warning=FCITX4_WARNING)


def own_processes(proc: Path = Path("/proc")) -> set[str]:
    """The names (comm) of the processes of this user; empty where there is no /proc."""
    uid = os.getuid() if hasattr(os, "getuid") else -1
    names: set[str] = set()
    try:
        entries = list(os.scandir(proc))
    except OSError:
        return names
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            names.add((Path(entry.path) / "comm").read_text(encoding="utf-8", errors="replace").strip())
        except OSError:  # the process ended meanwhile
            continue
    return names


def plugin_files(env: Mapping[str, str]) -> list[str]:
    """File names in Qt's platforminputcontexts/ folders: this Qt's own and those of QT_PLUGIN_PATH."""
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)]
    folders += [p for p in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    files: list[str] = []
    for folder in folders:
        try:
            files += [f.name for f in os.scandir(Path(folder) / "platforminputcontexts") if f.is_file()]
        except OSError:
            continue
    return files


def apply(env: MutableMapping[str, str] | None = None) -> Choice:
    """Decide and set the variables (in ``os.environ`` by default); call before QApplication is created."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return Choice(reason="not Linux")
    try:
        choice = choose(env, own_processes(), plugin_files(env))
    except Exception:  # typing Chinese is worth a try, never worth failing to start
        log.warning("input method: could not decide", exc_info=True)
        return Choice(reason="failed")
    env.update(choice.changes)
    chosen = " ".join(f"{k}={v}" for k, v in sorted(choice.changes.items()))
    log.info("input method: %s%s", choice.reason, f" -> {chosen}" if chosen else "")
    if choice.warning:
        log.warning("input method: %s", choice.warning)
    return choice
