"""Qt's own strings that its Chinese catalogue (qtbase_zh_CN.qm) lacks, so that no English shows (issue 16).

Qt 6's file dialog labels its fields "&Look in:" and "Files of &type:" (with mnemonics); the zh_CN catalogue
still has them only as "Look in:" / "Files of type:", so Qt's own (non-native) file dialog showed English
beside Chinese; nor has it the words of its 类型 column ("Folder"). ``MissingQtStrings`` is installed before
the catalogue, so it is asked only for what the catalogue does not have."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

# (context, source text) -> Chinese, mnemonic kept (as the catalogue writes them: 文件名称(&N)：).
STRINGS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    # the file dialog's 类型 column (the catalogue has none of the icon provider's words)
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "Alias"): "别名",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
}


class MissingQtStrings(QTranslator):
    """Answers for STRINGS only; anything else comes back as its source text (what Qt shows untranslated)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return STRINGS.get((context, source), source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False
