"""argparse speaking Chinese: the help page's own words and argparse's error messages, translated.

argparse words its messages in English through gettext with no Chinese catalogue. Rather than installing a
process-wide gettext domain, the parser here sets its own titles, usage prefix and -h help, and ``translate``
turns each message argparse can raise while parsing (Python 3.10–3.13 wording) into Chinese; a message not in
the table keeps its English text, still inside the Chinese line that ``ChineseParser.error`` raises."""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

# (pattern over argparse's message, Chinese replacement), tried in order; the first match wins.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    (r"^the following arguments are required: (.+)$", r"缺少必需的参数 \1"),
    (r"^one of the arguments (.+) is required$", r"参数 \1 必须给出其中一个"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数 \1"),
    (r"^ambiguous option: (\S+) could match (.+)$", r"选项 \1 有歧义，可能是 \2"),
    (r"^unexpected option string: (.+)$", r"意外的选项 \1"),
    (r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$", r"参数 \1 的取值 \2 无效，可选：\3"),
    (r"^argument (.+?): invalid int value: (.+)$", r"参数 \1 的取值 \2 不是整数"),
    (r"^argument (.+?): invalid float value: (.+)$", r"参数 \1 的取值 \2 不是数字"),
    (r"^argument (.+?): invalid (\S+) value: (.+)$", r"参数 \1 的取值 \3 无效"),
    (r"^argument (.+?): expected one argument$", r"参数 \1 需要一个值"),
    (r"^argument (.+?): expected at most one argument$", r"参数 \1 至多需要一个值"),
    (r"^argument (.+?): expected at least one argument$", r"参数 \1 至少需要一个值"),
    (r"^argument (.+?): expected (\d+) arguments?$", r"参数 \1 需要 \2 个值"),
    (r"^argument (.+?): not allowed with argument (.+)$", r"参数 \1 不能与 \2 同时使用"),
    (r"^argument (.+?): ignored explicit argument (.+)$", r"参数 \1 不接受值 \2"),
    (r"^argument (.+?): can't open '(.+?)': (.+)$", r"参数 \1 无法打开文件“\2”：\3"),
    (r"^argument (.+?): (.+)$", r"参数 \1：\2"),
]]


def translate(message: str) -> str:
    """argparse's English message in Chinese (the option names and values kept as they were typed)."""
    for pattern, replacement in _MESSAGES:
        m = pattern.match(message)
        if m:
            return m.expand(replacement)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """The help page with 用法： for "usage: "."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help page and errors are in Chinese; an error raises ``error_class`` with one line
    instead of printing usage and exiting, so the caller reports it as any other bad input."""

    error_class: type[Exception] = ValueError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        raise self.error_class(f"命令行参数有误：{translate(message)}。用 minsheng --help 查看用法。")
