"""An engine that reads nothing: keeps tests of the page flow, workers and reports free of OCR."""

from __future__ import annotations

import numpy as np

from ingest.ocr.base import EngineOptions, OcrEngine, OcrLine, register


class NullEngine(OcrEngine):
    name = "null"

    def version(self) -> str:
        return "0"

    def recognise(self, image: np.ndarray) -> list[OcrLine]:
        return []


@register("null")
def _create(options: EngineOptions) -> OcrEngine:
    return NullEngine()
