"""The one interface every OCR engine implements, and the registry that names them.

Like OCRmyPDF's `OcrEngine` plugins: the built-in engines register themselves through
the same `register` call outside code would use. An engine is created from its name
and a picklable `EngineOptions`, so a worker process can build its own copy.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

import numpy as np

from gazette.exceptions import BadInputError

#: A character recognised with a lower score than this is kept and marked as doubtful.
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class OcrLine:
    """One recognised line in pixel coordinates of the image it was read from (origin top-left).

    ``low_confidence`` holds indices into ``text`` of characters the engine was unsure of.
    """

    text: str
    box: tuple[float, float, float, float]
    confidence: float
    low_confidence: tuple[int, ...] = ()


@dataclass(frozen=True)
class EngineOptions:
    """Settings an engine is built from; ``extra`` carries engine-specific keys (hashable pairs)."""

    language: str = "chi_sim"
    threads: int = 0  # 0: the engine's own default
    extra: tuple[tuple[str, str], ...] = field(default=())

    def get(self, key: str, default: str = "") -> str:
        return dict(self.extra).get(key, default)


class OcrEngine(ABC):
    """Recognises the text lines of a page image (``uint8``, grey ``H×W`` or BGR ``H×W×3``)."""

    name: str = ""

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def recognise(self, image: np.ndarray) -> list[OcrLine]: ...

    def read_crops(self, crops: list[np.ndarray]) -> list[OcrLine]:
        """Each crop read as one line (boxes in the crop's own pixels): for re-reads of a box
        that is already a line. Engines that can skip detection override this; the default
        reads each crop whole and joins what it finds from left to right."""
        out = []
        for crop in crops:
            found = sorted(self.recognise(crop), key=lambda line: line.box[0])
            h, w = crop.shape[:2]
            marks: list[int] = []
            offset = 0
            for line in found:
                marks.extend(offset + i for i in line.low_confidence)
                offset += len(line.text)
            score = min((line.confidence for line in found), default=0.0)
            out.append(
                OcrLine("".join(line.text for line in found), (0.0, 0.0, float(w), float(h)), score, tuple(marks))
            )
        return out


EngineFactory = Callable[[EngineOptions], OcrEngine]
_REGISTRY: dict[str, EngineFactory] = {}
# Built-in engines live in modules named here and register on import; importing lazily
# keeps `import ingest.ocr` free of onnxruntime, paddle and subprocess checks.
_BUILTIN_MODULES = {
    "rapidocr": "ingest.ocr.rapid",
    "rapidocr-defaults": "ingest.ocr.rapid",
    "tesseract": "ingest.ocr.tesseract",
    "paddle": "ingest.ocr.paddle",
    "null": "ingest.ocr.null",
}
DEFAULT_ENGINE = "rapidocr"


def register(name: str) -> Callable[[EngineFactory], EngineFactory]:
    def decorate(factory: EngineFactory) -> EngineFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def engine_names() -> list[str]:
    return sorted(set(_BUILTIN_MODULES) | set(_REGISTRY))


def create_engine(name: str = DEFAULT_ENGINE, options: EngineOptions | None = None) -> OcrEngine:
    """A new engine by registered name; unknown names raise with the list of known ones."""
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        import_module(_BUILTIN_MODULES[name])
    if name not in _REGISTRY:
        raise unknown_engine(name)
    return _REGISTRY[name](options or EngineOptions())


def unknown_engine(name: str) -> BadInputError:
    return BadInputError(f"unknown OCR engine {name!r}; choose one of {', '.join(engine_names())}")


def parse_engine_spec(spec: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``rapidocr:runtime=onnxruntime,models=v4-mobile`` as the engine's name and its ``extra`` pairs."""
    name, _, rest = spec.partition(":")
    pairs = []
    for item in filter(None, rest.split(",")):
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise BadInputError(f"engine option {item!r} in {spec!r} is not KEY=VALUE")
        pairs.append((key.strip(), value.strip()))
    return name.strip(), tuple(pairs)


_CACHE: dict[tuple[str, EngineOptions], OcrEngine] = {}


def cached_engine(name: str = DEFAULT_ENGINE, options: EngineOptions | None = None) -> OcrEngine:
    """One engine per process and settings: models load once per worker, not once per page."""
    key = (name, options or EngineOptions())
    if key not in _CACHE:
        _CACHE[key] = create_engine(*key)
    return _CACHE[key]
