"""OCR engines behind one interface: `rapidocr` (default), `paddle`, `tesseract`, `null`."""

from ingest.ocr.base import (
    DEFAULT_ENGINE,
    LOW_CONFIDENCE,
    EngineOptions,
    OcrEngine,
    OcrLine,
    cached_engine,
    create_engine,
    engine_names,
    parse_engine_spec,
    register,
)

__all__ = [
    "DEFAULT_ENGINE",
    "LOW_CONFIDENCE",
    "EngineOptions",
    "OcrEngine",
    "OcrLine",
    "cached_engine",
    "create_engine",
    "engine_names",
    "parse_engine_spec",
    "register",
]
