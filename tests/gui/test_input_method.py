"""The choice of Qt input method at start (gui/input_method.py): the decision table, with environments, process
lists and plug-in folders as plain inputs — no real processes. The real fcitx5 is in test_fcitx_input.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minsheng_desktop.gui import input_method as im
from minsheng_desktop.gui.input_method import FCITX4_WARNING, choose

BUNDLE = ["libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"]  # what we ship
WHEEL = BUNDLE + ["libqtvirtualkeyboardplugin.so"]
WITH_FCITX = BUNDLE + ["libfcitx5platforminputcontextplugin.so"]
PORTAL = {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}
DESKTOP = {"DISPLAY": ":0", "XMODIFIERS": "@im=fcitx"}


@pytest.mark.parametrize("env, processes, plugins, changes", [
    # fcitx5, nothing usable requested, no fcitx plug-in: its ibus front-end through the portal
    ({}, {"fcitx5"}, BUNDLE, PORTAL),
    ({"QT_IM_MODULE": "fcitx"}, {"fcitx5", "bash"}, BUNDLE, PORTAL),  # what UOS/Deepin's im-config sets
    ({"QT_IM_MODULE": "fcitx5"}, {"fcitx5"}, WHEEL, PORTAL),
    ({"QT_IM_MODULE": ""}, {"fcitx5"}, BUNDLE, PORTAL),
    ({"QT_IM_MODULES": "fcitx;wayland"}, {"fcitx5"}, BUNDLE, {**PORTAL, "QT_IM_MODULES": "ibus"}),  # Qt 6.8+
    ({"IBUS_USE_PORTAL": "1"}, {"fcitx5"}, BUNDLE, {"QT_IM_MODULE": "ibus"}),
    ({}, {"fcitx5", "ibus-daemon"}, BUNDLE, PORTAL),  # both: the portal is answered by whichever owns it
    # the clerk's own ibus is kept; the portal is what makes it reach fcitx5
    ({"QT_IM_MODULE": "ibus"}, {"fcitx5"}, BUNDLE, {"IBUS_USE_PORTAL": "1"}),
    ({"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "0"}, {"fcitx5"}, BUNDLE, {}),  # Qt reads any value as yes
    ({"QT_IM_MODULE": "ibus"}, {"fcitx5", "ibus-daemon"}, BUNDLE, {}),  # a real ibus: as before
    # a clerk's own working choice is never overridden
    ({"QT_IM_MODULE": "compose"}, {"fcitx5"}, BUNDLE, {}),
    ({"QT_IM_MODULE": "none"}, {"fcitx5"}, BUNDLE, {}),
    ({"QT_IM_MODULES": "fcitx;compose"}, {"fcitx5"}, BUNDLE, {}),
    ({"QT_IM_MODULE": "fcitx"}, {"fcitx5"}, WITH_FCITX, {}),
    # a fcitx Qt plug-in present (put into the bundle by someone): use it
    ({}, {"fcitx5"}, WITH_FCITX, {"QT_IM_MODULE": "fcitx"}),
    ({}, {"fcitx"}, WITH_FCITX, {"QT_IM_MODULE": "fcitx"}),
    # ibus alone, or nothing: as before
    ({}, {"ibus-daemon"}, BUNDLE, {}),
    ({"QT_IM_MODULE": "ibus"}, {"ibus-daemon"}, BUNDLE, {}),
    ({"QT_IM_MODULE": "fcitx"}, {"bash", "Xorg"}, BUNDLE, {}),
    ({}, set(), BUNDLE, {}),
    ({}, {"fcitx5-remote"}, BUNDLE, {}),  # only the exact process name counts
    # no screen (tests, headless runs): nothing to type into
    ({"QT_QPA_PLATFORM": "offscreen"}, {"fcitx5"}, BUNDLE, {}),
    ({"QT_QPA_PLATFORM": "minimal:enable_fonts"}, {"fcitx5"}, BUNDLE, {}),
    ({"QT_QPA_PLATFORM": "xcb"}, {"fcitx5"}, BUNDLE, PORTAL),
    ({"QT_QPA_PLATFORM": "wayland"}, {"fcitx5"}, BUNDLE, PORTAL),
])
def test_decision(env, processes, plugins, changes):
    choice = choose({**DESKTOP, **env}, processes, plugins, platform="linux")
    assert choice.changes == changes
    assert choice.warning is None
    assert choice.reason


@pytest.mark.parametrize("env, processes, plugins, changes, warned", [
    # fcitx 4 (older Kylin) has no ibus front-end: nothing this Qt has reaches it
    ({"QT_IM_MODULE": "fcitx"}, {"fcitx"}, BUNDLE, {}, True),
    ({}, {"fcitx"}, BUNDLE, {}, True),
    ({"QT_IM_MODULE": "ibus"}, {"fcitx"}, BUNDLE, {}, True),
    # with ibus beside it, ibus at least types
    ({"QT_IM_MODULE": "fcitx"}, {"fcitx", "ibus-daemon"}, BUNDLE, {"QT_IM_MODULE": "ibus"}, True),
    ({"QT_IM_MODULE": "ibus"}, {"fcitx", "ibus-daemon"}, BUNDLE, {}, False),
    # with a fcitx plug-in it works
    ({"QT_IM_MODULE": "fcitx"}, {"fcitx"}, WITH_FCITX, {}, False),
    # fcitx 4 and fcitx5 both running: fcitx5 is the one to reach
    ({}, {"fcitx", "fcitx5"}, BUNDLE, PORTAL, False),
])
def test_fcitx4(env, processes, plugins, changes, warned):
    choice = choose({**DESKTOP, **env}, processes, plugins, platform="linux")
    assert choice.changes == changes
    assert (choice.warning == FCITX4_WARNING) is warned


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_untouched(platform):
    assert choose({"QT_IM_MODULE": "fcitx"}, {"fcitx5"}, BUNDLE, platform=platform).changes == {}


def test_plugin_keys():
    assert im.plugin_keys(WHEEL) == {"compose", "ibus", "qtvirtualkeyboard"}
    assert im.plugin_keys(["libfcitxplatforminputcontextplugin-qt6.so"]) == {"fcitx", "fcitx5"}
    assert im.plugin_keys([]) == set()


def test_own_processes(tmp_path: Path):
    """/proc/PID/comm of this user's processes; other entries and vanished processes are skipped."""
    for pid, name in (("12", "fcitx5"), ("345", "ibus-daemon")):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "comm").write_text(name + "\n", encoding="utf-8")
    (tmp_path / "99").mkdir()  # ended meanwhile: no comm
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "comm").write_text("python\n", encoding="utf-8")
    assert im.own_processes(tmp_path) == {"fcitx5", "ibus-daemon"}
    assert im.own_processes(tmp_path / "missing") == set()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")
def test_own_processes_sees_this_one():
    assert Path("/proc/self/comm").read_text(encoding="utf-8").strip() in im.own_processes()


def test_plugin_files_lists_this_qt_and_qt_plugin_path(tmp_path: Path):
    extra = tmp_path / "platforminputcontexts"
    extra.mkdir()
    (extra / "libfcitx5platforminputcontextplugin.so").write_bytes(b"")
    files = im.plugin_files({"QT_PLUGIN_PATH": str(tmp_path)})
    assert "libfcitx5platforminputcontextplugin.so" in files
    assert any("ibus" in f for f in files)  # the PySide6 wheel's own, as in the bundle


def test_apply_sets_the_environment(monkeypatch):
    monkeypatch.setattr(im.sys, "platform", "linux")
    monkeypatch.setattr(im, "own_processes", lambda: {"fcitx5"})
    monkeypatch.setattr(im, "plugin_files", lambda env: BUNDLE)
    env = {"DISPLAY": ":0", "QT_IM_MODULE": "fcitx"}
    assert im.apply(env).changes == PORTAL
    assert env == {"DISPLAY": ":0", **PORTAL}
    assert im.apply(env).changes == {}  # a second start (or a child) keeps it


def test_apply_warns_for_fcitx4(monkeypatch, caplog):
    monkeypatch.setattr(im.sys, "platform", "linux")
    monkeypatch.setattr(im, "own_processes", lambda: {"fcitx"})
    monkeypatch.setattr(im, "plugin_files", lambda env: BUNDLE)
    env = {"DISPLAY": ":0", "QT_IM_MODULE": "fcitx"}
    with caplog.at_level("WARNING", logger="minsheng.gui"):
        im.apply(env)
    assert env == {"DISPLAY": ":0", "QT_IM_MODULE": "fcitx"}
    assert "fcitx 4" in caplog.text


def test_apply_never_fails_the_start(monkeypatch):
    monkeypatch.setattr(im.sys, "platform", "linux")

    def broken():
        raise RuntimeError("no /proc")

    monkeypatch.setattr(im, "own_processes", broken)
    env = {"QT_IM_MODULE": "fcitx"}
    assert im.apply(env).changes == {}
    assert env == {"QT_IM_MODULE": "fcitx"}


def test_run_decides_before_the_application(monkeypatch):
    """gui.app.run calls apply before QApplication is made."""
    from minsheng_desktop.gui import app

    order: list[str] = []
    monkeypatch.setattr(app.input_method, "apply", lambda: order.append("input method"))

    def make_app(argv):
        order.append("application")
        raise SystemExit(0)

    monkeypatch.setattr(app, "make_app", make_app)
    with pytest.raises(SystemExit):
        app.run(["minsheng"])
    assert order == ["input method", "application"]
