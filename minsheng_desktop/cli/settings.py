"""`minsheng settings [KEY [VALUE]]`: print the settings the window keeps, print one, or set one (never a password)."""

from __future__ import annotations

import argparse

from ..services.settings import SettingError, change_setting, read_setting, read_settings, setting_key
from .common import EXIT_OK, UsageError, open_db


def cmd_settings(args: argparse.Namespace) -> int:
    with open_db(args) as db:
        if args.key is None:
            rows = read_settings(db)
            width = max(len(key.name) for key, _ in rows) + 2
            for key, value in rows:
                print(f"{key.name:<{width}}{value or '（未设置）'}    # {key.label}")
            return EXIT_OK
        try:
            key = setting_key(args.key)
            if args.value is None:
                print(read_setting(db, key))  # the bare value, for scripts ('' when not set)
                return EXIT_OK
            now = change_setting(db, key, args.value)
        except SettingError as exc:
            raise UsageError(str(exc)) from None
    print(f"已设置 {key.name}（{key.label}）：{now}" if now else f"已清除 {key.name}（{key.label}）")
    return EXIT_OK
