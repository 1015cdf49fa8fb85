"""The OCR engine: the process's one RapidOCR, made from the PP-OCR models inside the rapidocr wheel (given by
path, run by onnxruntime; nothing is downloaded at run time), and recognition of single-line crops in batches
by the recognition model alone.

rapidocr and onnxruntime are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ImportFailure
from .progress import Progress

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np


# ---------------------------------------------------------------- the engine


_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def _model_dir() -> Path:
    import rapidocr  # deferred: see the module's docstring

    return Path(rapidocr.__file__).resolve().parent / "models"


def _make_engine() -> Any:
    """RapidOCR with the models that ship inside its wheel, given by path so no download can be attempted."""
    from rapidocr import RapidOCR  # deferred: see the module's docstring

    models = _model_dir()
    det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
    for m in (det, rec):
        if not m.is_file():
            raise ImportFailure(f"文字识别模型缺失（{m.name}）：请重新安装本程序后再导入扫描件或照片。")
    params = {
        "Global.use_cls": False,  # pages are deskewed; lines are never upside down on a page read upright
        "Global.log_level": "error",
        "Global.model_root_dir": str(models),
        "Det.model_path": str(det),
        "Rec.model_path": str(rec),
        "Rec.rec_batch_num": 64,  # recognise makes the batches
        "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
    }
    eng = RapidOCR(params=params)
    _lean_session(eng, rec)
    return eng


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _lean_session(eng: Any, model: Path) -> None:
    """Recognise with a session that keeps no memory plan per input shape: every line has its own width, and
    the plans (with the allocator holding on to freed blocks) grew the process by hundreds of MB."""
    try:
        import onnxruntime as ort  # deferred: see the module's docstring

        rec = eng._load_rec_model()
        holder = rec.session
        if not hasattr(holder, "session"):
            return
        so = ort.SessionOptions()
        so.log_severity_level = 4
        so.enable_mem_pattern = False
        so.enable_cpu_mem_arena = False
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.intra_op_num_threads = _threads()
        so.inter_op_num_threads = 1
        holder.session = ort.InferenceSession(str(model), sess_options=so, providers=["CPUExecutionProvider"])
    except Exception:  # another rapidocr layout: its own session works too, with more memory
        return


def engine() -> Any:
    """The process's one RapidOCR (loading the models takes time: made on first use, then kept)."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = _make_engine()
    return _ENGINE


REC_HEIGHT = 48  # the recognition model's input height
# A batch's lines are padded to its widest, at REC_HEIGHT: wide lines go alone (memory), narrow ones together
# (fewer runs).
BATCH_WIDTH = 1600
BATCH_MAX = 16


def recognise(crops: list[np.ndarray], progress: Progress) -> list[tuple[str, float]]:
    """Text and score of each single-line crop, by the recognition model alone, in batches of like width."""
    if not crops:
        return []
    eng = engine()
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    widths = [REC_HEIGHT * c.shape[1] / max(1, c.shape[0]) for c in crops]
    order = sorted(range(len(crops)), key=lambda i: widths[i])
    batch: list[int] = []

    def run(idx: list[int]) -> None:
        progress.check()
        res = eng.recognize_txt([crops[i] for i in idx])
        for i, txt, score in zip(idx, res.txts, res.scores):
            out[i] = (txt or "", float(score or 0.0))

    for i in order:
        if batch and (len(batch) + 1) * max(widths[i], 320) > BATCH_WIDTH or len(batch) >= BATCH_MAX:
            run(batch)
            batch = []
        batch.append(i)
    if batch:
        run(batch)
    return out
