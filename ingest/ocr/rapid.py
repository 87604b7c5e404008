"""The default engine: PaddleOCR's PP-OCR models on ONNX Runtime, from the files the `rapidocr` wheel ships.

Two registered settings. ``rapidocr`` detects on the page shrunk to at most 1,280 px
while recognising crops cut from the full-resolution page (measured: about twice the
pace of the defaults at a lower error rate; detecting at 3,000–4,000 px was 2–2.5×
slower and no better), with the upside-down line classifier off: it sometimes flipped
an upright line into garbage, the one way whole lines went missing. Page orientation is
decided on page-level evidence instead (`ingest.recognise`). ``rapidocr-defaults``
keeps the library's own settings, for the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gazette.exceptions import MissingDependencyError
from ingest.ocr.base import LOW_CONFIDENCE, EngineOptions, OcrEngine, OcrLine, register

_TUNED: dict[str, Any] = {
    "Global.max_side_len": 4000,
    "Det.limit_type": "max",
    "Det.limit_side_len": 1280,
    "Global.use_cls": False,
    # A line the recogniser scores low is kept and marked, never dropped.
    "Global.text_score": 0.0,
}
# A gap this many typical character widths between two characters means one was lost.
_MISSING_CHAR = 0.8
_STRETCH = 1.6


@dataclass(frozen=True)
class ModelSet:
    """PP-OCR model files shipped inside an installed wheel (never downloaded): its package and file names."""

    label: str
    package: str
    det: str
    rec: str
    cls: str
    version: str  # rapidocr's ``ocr_version`` of det and rec: it picks their pre- and post-processing


MODEL_SETS = {
    "v6-small": ModelSet("PP-OCRv6 small", "rapidocr", "PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx",
                         "ch_ppocr_mobile_v2.0_cls_mobile.onnx", "PP-OCRv6"),
    "v4-mobile": ModelSet("PP-OCRv4 mobile", "rapidocr_onnxruntime", "ch_PP-OCRv4_det_infer.onnx",
                          "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "PP-OCRv4"),
}


def _model_files(models: ModelSet) -> dict[str, Path]:
    try:
        package = import_module(models.package)
    except ImportError:
        raise MissingDependencyError(
            f"the {models.package} package, which ships the {models.label} models, is not installed; "
            f"run `pip install {models.package.replace('_', '-')}`"
        ) from None
    folder = Path(package.__file__).parent / "models"
    files = {"Det": folder / models.det, "Rec": folder / models.rec, "Cls": folder / models.cls}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        # Never let rapidocr fetch a model: archives run offline and models must be pinned.
        raise MissingDependencyError(
            f"model files {', '.join(missing)} are missing; reinstall the rapidocr wheel, which ships them",
            path=str(folder),
        )
    return files


class RapidEngine(OcrEngine):
    def __init__(self, name: str, settings: dict[str, Any], options: EngineOptions) -> None:
        from rapidocr import OCRVersion, RapidOCR

        self.name = name
        self._models = MODEL_SETS[options.get("models", "v6-small")]
        params: dict[str, Any] = {
            "Global.log_level": "error",
            # Character scores give the low-confidence marks.
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
            **{f"{stage}.model_path": str(path) for stage, path in _model_files(self._models).items()},
            "Det.ocr_version": OCRVersion(self._models.version),
            "Rec.ocr_version": OCRVersion(self._models.version),
            **settings,
        }
        if options.threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = options.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._ocr = RapidOCR(params=params)
        self._use_cls = bool(self._ocr.cfg.Global.use_cls)

    def version(self) -> str:
        return f"rapidocr {metadata.version('rapidocr')} {self._models.label}"

    def recognise(self, image: np.ndarray) -> list[OcrLine]:
        if image.ndim == 2:
            image = np.repeat(image[:, :, None], 3, axis=2)
        # RapidOCR keeps per-call switches as settings: restate them on every call.
        result = self._ocr(image, use_det=True, use_cls=self._use_cls, use_rec=True, return_word_box=True)
        if getattr(result, "txts", None) is None or getattr(result, "boxes", None) is None:
            return []
        words = result.word_results or ((),) * len(result.txts)
        lines = []
        for text, score, quad, chars in zip(result.txts, result.scores, result.boxes, words, strict=False):
            xs, ys = quad[:, 0], quad[:, 1]
            box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            line = OcrLine(text, box, float(score), _low_confidence(text, chars))
            lines.append(self._reread_gap(image, line) if _has_gap(chars) else line)
        return lines

    def _reread_gap(self, image: np.ndarray, line: OcrLine) -> OcrLine:
        """Read a line again stretched along its length; keep the reading with more characters.

        CTC decoding merges a character repeated without a blank frame between (二〇〇四
        read as 二〇四): stretching gives each character more frames.
        """
        x0, y0, x1, y1 = (int(v) for v in line.box)
        crop = image[max(0, y0) : y1, max(0, x0) : x1]
        if crop.size == 0:
            return line
        stretched = cv2.resize(crop, None, fx=_STRETCH, fy=1.0, interpolation=cv2.INTER_CUBIC)
        again = self._ocr(stretched, use_det=False, use_cls=False, return_word_box=False)
        texts, scores = getattr(again, "txts", None), getattr(again, "scores", None)
        if not texts or not scores or len(texts[0]) <= len(line.text) or float(scores[0]) < line.confidence - 0.05:
            return line
        return OcrLine(texts[0], line.box, float(scores[0]), tuple(i for i, _ in enumerate(texts[0]) if float(scores[0]) < LOW_CONFIDENCE))


def _has_gap(chars: tuple[Any, ...]) -> bool:
    """Two neighbouring character boxes further apart than most characters are wide: one was lost."""
    boxes = [np.asarray(box) for _, _, box in chars if box is not None]
    if len(boxes) < 3:
        return False
    widths = sorted(float(b[:, 0].max() - b[:, 0].min()) for b in boxes)
    typical = widths[len(widths) // 2]
    gaps = (float(b[:, 0].min() - a[:, 0].max()) for a, b in zip(boxes, boxes[1:], strict=False))
    return any(gap > _MISSING_CHAR * typical for gap in gaps)


def _low_confidence(text: str, chars: tuple[Any, ...]) -> tuple[int, ...]:
    """Indices in ``text`` of characters scored under the threshold, matched in order."""
    marks: list[int] = []
    start = 0
    for char, score, _box in chars:
        found = text.find(char, start)
        if found < 0:
            continue
        if float(score) < LOW_CONFIDENCE:
            marks.extend(range(found, found + len(char)))
        start = found + len(char)
    return tuple(marks)


@register("rapidocr")
def _tuned(options: EngineOptions) -> OcrEngine:
    return RapidEngine("rapidocr", _TUNED, options)


@register("rapidocr-defaults")
def _defaults(options: EngineOptions) -> OcrEngine:
    return RapidEngine("rapidocr-defaults", {}, options)
