"""The welcome panel an empty database opens on (issue 16): what the program does in three lines, a big
导入目标任务 button, the drop hint, and 打开示例数据; and the banner shown while the sample data is open, with
the way back to the clerk's own data. Widgets only: gui/controllers/sample.py does the work."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .resources import tool_icon

WHAT_IT_DOES = (
    "导入区政府下发的民生实事目标任务通知：Word、Excel、PDF、网页，扫描件或手机照片也可以。",
    "每月在表单里填写各项目的进展，边填边自动保存；程序提示哪些项目还没填、哪天截止。",
    "一键导出报送用的进度表和报送函（Excel、Word），或直接发邮件给区发展改革委。",
)
DROP_HINT = "也可以把通知文件直接拖到这个窗口上。"
SAMPLE_NOTE = "先看看填好的样子：武隆区2023年的目标任务和四个月的填报。示例单独存放，不会混入您自己的数据。"
BANNER = "您正在查看示例数据（武隆区2023年）。在这里做的修改不会影响您自己的数据，下次打开示例时恢复原样。"


def _label(text: str, style: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    if style:
        lab.setStyleSheet(style)
    return lab


class WelcomePanel(QWidget):
    importClicked = Signal()  # noqa: N815 - Qt signal names
    sampleClicked = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)  # the column in the middle, stretches either side (no Qt alignment enums)
        outer.addStretch(1)
        col = QVBoxLayout()
        outer.addLayout(col, 4)
        outer.addStretch(1)
        col.addStretch(2)
        col.addWidget(_label("欢迎使用民生实事台账", "font-size: 20pt; font-weight: bold;"))
        col.addSpacing(12)
        for k, line in enumerate(WHAT_IT_DOES, 1):
            col.addWidget(_label(f"{k}. {line}", "font-size: 11pt;"))
        col.addSpacing(20)
        row = QHBoxLayout()
        self.import_button = QPushButton("导入目标任务…")
        self.import_button.setIcon(tool_icon("import", "SP_DialogOpenButton", self))
        self.import_button.setIconSize(QSize(24, 24))
        self.import_button.setStyleSheet("font-size: 14pt; font-weight: bold; padding: 10px 28px;")
        self.import_button.setDefault(True)
        self.import_button.setToolTip("选择区政府下发的目标任务通知文件（Ctrl+O）")
        self.import_button.clicked.connect(self.importClicked)
        row.addWidget(self.import_button)
        row.addStretch(1)
        col.addLayout(row)
        col.addSpacing(6)
        self.drop_hint = _label(DROP_HINT, "color: #555;")
        col.addWidget(self.drop_hint)
        col.addSpacing(28)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        col.addWidget(line)
        col.addSpacing(12)
        col.addWidget(_label(SAMPLE_NOTE, "color: #555;"))
        row = QHBoxLayout()
        self.sample_button = QPushButton("打开示例数据")
        self.sample_button.setStyleSheet("padding: 6px 18px;")
        self.sample_button.clicked.connect(self.sampleClicked)
        row.addWidget(self.sample_button)
        row.addStretch(1)
        col.addLayout(row)
        col.addStretch(3)


class SampleBanner(QFrame):
    """A yellow bar over the window's parts while the sample data is open."""

    backClicked = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sample_banner")
        self.setStyleSheet("#sample_banner { background: #fff4c2; border: 1px solid #e0c060; border-radius: 3px; }")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 6, 4)
        self.text = _label(BANNER)
        lay.addWidget(self.text, 1)
        self.back_button = QPushButton("回到我的数据")
        self.back_button.clicked.connect(self.backClicked)
        lay.addWidget(self.back_button)
