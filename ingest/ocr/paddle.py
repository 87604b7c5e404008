"""PaddleOCR 3.x itself, when installed (``pip install .[paddle]``), from model folders on disk.

Model folders come from ``EngineOptions.extra`` (``models``, ``det_model``, ``rec_model``)
or ``$GAZETTE_PADDLE_MODELS``: a folder holding one sub-folder per model, named as
PaddleOCR names them (``PP-OCRv5_server_det``, ``PP-OCRv5_server_rec``). PaddleX's
model-source check is switched off and nothing is downloaded: archives run offline.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from gazette.exceptions import MissingDependencyError
from ingest.ocr.base import EngineOptions, OcrEngine, OcrLine, register

_DEFAULT_DET = "PP-OCRv5_server_det"
_DEFAULT_REC = "PP-OCRv5_server_rec"


def model_dirs(options: EngineOptions) -> tuple[Path, Path, str, str]:
    """The detection and recognition model folders, checked, with their model names."""
    root_setting = options.get("models") or os.environ.get("GAZETTE_PADDLE_MODELS", "")
    if not root_setting:
        raise MissingDependencyError(
            "no PaddleOCR model folder configured; set GAZETTE_PADDLE_MODELS to a folder holding "
            f"{_DEFAULT_DET}/ and {_DEFAULT_REC}/ (the inference models from paddleocr.ai's model list)"
        )
    root = Path(root_setting)
    det_name = options.get("det_model", _DEFAULT_DET)
    rec_name = options.get("rec_model", _DEFAULT_REC)
    dirs = (root / det_name, root / rec_name)
    for folder in dirs:
        if not (folder / "inference.yml").is_file():
            raise MissingDependencyError(
                f"PaddleOCR model {folder.name} is missing; download its inference model from paddleocr.ai "
                f"and unpack it so that {folder}/inference.yml exists",
                path=str(folder),
            )
    return dirs[0], dirs[1], det_name, rec_name


class PaddleEngine(OcrEngine):
    name = "paddle"

    def __init__(self, options: EngineOptions) -> None:
        det_dir, rec_dir, det_name, rec_name = model_dirs(options)
        os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
        try:
            from paddleocr import PaddleOCR
        except ImportError:
            raise MissingDependencyError("PaddleOCR is not installed; run `pip install .[paddle]`") from None
        self._ocr = PaddleOCR(
            text_detection_model_name=det_name,
            text_detection_model_dir=str(det_dir),
            text_recognition_model_name=rec_name,
            text_recognition_model_dir=str(rec_dir),
            # Same reasons as the rapidocr settings: no line-level flips, detection on ≤1280 px.
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_type="max",
            text_det_limit_side_len=1280,
        )

    def version(self) -> str:
        return f"paddleocr {metadata.version('paddleocr')}"

    def recognise(self, image: np.ndarray) -> list[OcrLine]:
        if image.ndim == 2:
            image = np.repeat(image[:, :, None], 3, axis=2)
        lines: list[OcrLine] = []
        for result in self._ocr.predict(image):
            page: dict[str, Any] = dict(result)
            for text, score, poly in zip(page["rec_texts"], page["rec_scores"], page["rec_polys"], strict=False):
                xs, ys = np.asarray(poly)[:, 0], np.asarray(poly)[:, 1]
                box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
                lines.append(OcrLine(text, box, float(score)))
        return lines


@register("paddle")
def _create(options: EngineOptions) -> OcrEngine:
    return PaddleEngine(options)
