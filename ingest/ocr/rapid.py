"""The default engine: PaddleOCR's PP-OCR models, from the files the `rapidocr` wheel ships.

The models run on OpenVINO where it is installed (a dependency; ``runtime=onnxruntime``
picks ONNX Runtime). Both read the same ONNX files and gave the same text on the
benchmark's pages, but on one thread of this project's Xeon OpenVINO detects a page in
about 0.14 s against 0.65 s and, with recognition compiled for fixed widths
(`ingest.ocr.width_buckets`), reads a line in about 25 ms against 65 ms.

Two registered settings. ``rapidocr`` runs detection once, at the scale that shrinks the
page to at most 960 px but on the text block only (the box around the page's ink, found
on the page shrunk eight times, plus a margin: blank margins cost no detection time),
cuts each line from the full-resolution page and recognises the crops one per
run (batches pad every crop to the widest and were slower on one thread); the
recogniser's own per-character scores give the low-confidence marks and its CTC frame
positions show a lost character (a repeated 〇 merged), and only then is that one line
read again, stretched. The upside-down line classifier is off: it sometimes flipped an
upright line into garbage, the one way whole lines went missing; page orientation is
decided on page-level evidence instead (`ingest.recognise`). `RapidEngine.read_crops`
recognises boxes that are already lines with no detection, for the page step's re-reads.

Measured on 20 degraded generated pages, two workers of one thread (`bench/ocr.py`):
detecting at 960 px read as well as at 1,280 px (CER 0.14% against 0.19%) in half the
detection time; 736 px lost accuracy. The PP-OCRv4 mobile models (``models=v4-mobile``,
from the `rapidocr_onnxruntime` wheel; their character list is embedded in the ONNX
file, as the v6 one is) detect faster but recognise slower per line than PP-OCRv6 small
and read 、 as 丶 and 。 as ·, so they are not the default. ``rapidocr-defaults`` runs
rapidocr's own pipeline with the library's settings, for the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gazette.exceptions import BadInputError, GazetteError, MissingDependencyError
from ingest.ocr.base import LOW_CONFIDENCE, EngineOptions, OcrEngine, OcrLine, register
from ingest.ocr.width_buckets import WidthBucketedSession

_TUNED: dict[str, Any] = {
    "Global.max_side_len": 4000,
    "Det.limit_type": "max",
    "Det.limit_side_len": 960,
    # One crop per run: batches pad every crop to the widest and ran slower on one thread.
    "Rec.rec_batch_num": 1,
    "Global.use_cls": False,
    # A line the recogniser scores low is kept and marked, never dropped.
    "Global.text_score": 0.0,
}
# Two Han characters this many typical steps further apart (in CTC frames) than their
# neighbours usually are: one was lost between them.
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
    "v6-small": ModelSet(
        "PP-OCRv6 small",
        "rapidocr",
        "PP-OCRv6_det_small.onnx",
        "PP-OCRv6_rec_small.onnx",
        "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        "PP-OCRv6",
    ),
    "v4-mobile": ModelSet(
        "PP-OCRv4 mobile",
        "rapidocr_onnxruntime",
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
        "PP-OCRv4",
    ),
}


RUNTIMES = ("openvino", "onnxruntime")


def _default_runtime() -> str:
    """OpenVINO when installed (3–4× faster on Intel CPUs for these models), else ONNX Runtime."""
    try:
        import_module("openvino")
    except ImportError:
        return "onnxruntime"
    return "openvino"


def _model_files(models: ModelSet) -> dict[str, Path]:
    try:
        package = import_module(models.package)
    except ImportError:
        raise MissingDependencyError(
            f"the {models.package} package, which ships the {models.label} models, is not installed; "
            f"run `pip install {models.package.replace('_', '-')}`"
        ) from None
    if package.__file__ is None:  # a namespace package: no wheel of that name is installed
        raise MissingDependencyError(
            f"{models.package} is not an installed package with models; "
            f"run `pip install {models.package.replace('_', '-')}`"
        )
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
    def __init__(
        self, name: str, settings: dict[str, Any], options: EngineOptions, library_pipeline: bool = False
    ) -> None:
        from rapidocr import EngineType, OCRVersion, RapidOCR
        from rapidocr.ch_ppocr_rec.typings import TextRecInput
        from rapidocr.utils.process_img import get_rotate_crop_image

        self._rec_input, self._crop = TextRecInput, get_rotate_crop_image

        self.name = name
        self._models = MODEL_SETS[options.get("models", "v6-small")]
        # The library's own pipeline keeps the library's own runtime: it is the benchmark's baseline.
        self._runtime = options.get("runtime") or ("onnxruntime" if library_pipeline else _default_runtime())
        if self._runtime not in RUNTIMES:
            raise BadInputError(f"unknown runtime {self._runtime!r}; choose one of {', '.join(RUNTIMES)}")
        params: dict[str, Any] = {
            "Global.log_level": "error",
            **{f"{stage}.model_path": str(path) for stage, path in _model_files(self._models).items()},
            "Det.ocr_version": OCRVersion(self._models.version),
            "Rec.ocr_version": OCRVersion(self._models.version),
            **settings,
        }
        openvino = self._runtime == "openvino"
        if openvino:
            params["Det.engine_type"] = params["Rec.engine_type"] = EngineType.OPENVINO
            # Pinned threads of two worker processes can land on the same core.
            params["EngineConfig.openvino.enable_cpu_pinning"] = False
        if options.threads and openvino:
            params["EngineConfig.openvino.inference_num_threads"] = options.threads
        elif options.threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = options.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._ocr = RapidOCR(params=params)
        self._use_cls = bool(self._ocr.cfg.Global.use_cls)
        self._library_pipeline = library_pipeline
        self._text_score = float(self._ocr.cfg.Global.text_score)
        self._rec = self._ocr._load_rec_model()
        if openvino:
            config = {"ENABLE_CPU_PINNING": "NO"} | (
                {"INFERENCE_NUM_THREADS": str(options.threads)} if options.threads else {}
            )
            # Only rapidocr's model is kept: its compiled dynamic-width session is dropped unused.
            self._rec.session = WidthBucketedSession(self._rec.session.model, config)

    def version(self) -> str:
        return f"rapidocr {metadata.version('rapidocr')} {self._models.label} on {self._runtime} {metadata.version(self._runtime)}"

    def recognise(self, image: np.ndarray) -> list[OcrLine]:
        image = _bgr(image)
        if self._library_pipeline:
            return self._recognise_as_library(image)
        quads = self._detect(image)
        if not quads:
            return []
        crops = [self._crop(image, quad.copy()) for quad in quads]
        if self._use_cls:
            crops = list(self._ocr.cls_and_rotate(crops)[0])
        lines = []
        for quad, crop, (text, score, confs, cols) in zip(quads, crops, self._read(crops), strict=True):
            xs, ys = quad[:, 0], quad[:, 1]
            box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            line = OcrLine(text, box, score, _low_confidence(confs))
            if score < self._text_score:
                continue
            lines.append(self._reread_gap(crop, line) if _has_gap(text, cols) else line)
        return lines

    def _detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Line quads in page pixels, detected once on the text block only.

        The page is shrunk exactly as rapidocr shrinks it for detection, and only the part
        around its ink (plus a margin), cut on the network's 32-pixel grid, goes through the
        detector: the network sees the same pixels on the same grid as for the whole page,
        so boxes come out as they would, while blank margins cost no detection time.
        """
        det = self._ocr.text_det or self._ocr._load_det_model()
        pre = det.get_preprocess()
        small = pre.resize(image)
        if small is None:
            return []
        h, w = image.shape[:2]
        mh, mw = small.shape[:2]
        rx, ry = mw / w, mh / h
        x0, y0, x1, y1 = _ink_block(image)
        if x1 <= x0 or y1 <= y0:
            return []
        # Plus the network's reach beyond the margin: near the cut its padding is not paper.
        cx0 = max(0, int(x0 * rx) // 32 * 32 - _BLOCK_REACH)
        cy0 = max(0, int(y0 * ry) // 32 * 32 - _BLOCK_REACH)
        cx1 = min(mw, -(-int(np.ceil(x1 * rx)) // 32) * 32 + _BLOCK_REACH)
        cy1 = min(mh, -(-int(np.ceil(y1 * ry)) // 32) * 32 + _BLOCK_REACH)
        block = small[cy0:cy1, cx0:cx1]
        tensor = np.expand_dims(pre.permute(pre.normalize(block)), axis=0).astype(np.float32)
        # The block's size in page pixels: boxes scale back by the whole page's ratio.
        boxes, _scores = det.postprocess_op(det.session(tensor), ((cy1 - cy0) / ry, (cx1 - cx0) / rx))
        if len(boxes) == 0:
            return []
        offset = np.array((cx0 / rx, cy0 / ry), dtype=np.float32)
        out = []
        for quad in det.sorted_boxes(np.asarray(boxes)):
            quad = np.round(np.asarray(quad, dtype=np.float32) + offset)
            quad[:, 0] = np.clip(quad[:, 0], 0, w)
            quad[:, 1] = np.clip(quad[:, 1], 0, h)
            out.append(quad)
        return out

    def _recognise_as_library(self, image: np.ndarray) -> list[OcrLine]:
        """rapidocr's own pipeline end to end (the benchmark's ``rapidocr-defaults``): no marks, no re-reads."""
        from rapidocr.utils.output import RapidOCROutput

        result = self._ocr(image, use_det=True, use_cls=self._use_cls, use_rec=True)
        # With detection and recognition on, rapidocr returns a RapidOCROutput; empty when it found nothing.
        if not isinstance(result, RapidOCROutput) or result.txts is None or result.boxes is None:
            return []
        if result.scores is None:
            raise GazetteError("rapidocr returned texts without scores (a release ~=3.10.0 does not)")
        return [
            OcrLine(
                text,
                (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())),
                float(score),
            )
            for text, score, q in zip(result.txts, result.scores, result.boxes, strict=False)
        ]

    def read_crops(self, crops: list[np.ndarray]) -> list[OcrLine]:
        """Recognition only, batched: each crop is taken to hold one line (no detection)."""
        lines = []
        for crop, (text, score, confs, _cols) in zip(crops, self._read([_bgr(c) for c in crops]), strict=True):
            h, w = crop.shape[:2]
            lines.append(OcrLine(text, (0.0, 0.0, float(w), float(h)), score, _low_confidence(confs)))
        return lines

    def _read(self, crops: list[np.ndarray]) -> list[tuple[str, float, list[float], list[int]]]:
        """Text, mean score, per-character scores and CTC frame of each character, per crop."""
        if not crops:
            return []
        out = self._rec(self._rec_input(img=crops, return_word_box=True))
        results = []
        for text, score, info in zip(out.txts, out.scores, out.word_results, strict=True):
            confs = [float(c) for c in getattr(info, "confs", ())] if text else []
            cols = [col for word in getattr(info, "word_cols", ()) for col in word]
            results.append((text, float(score) if text else 0.0, confs, cols))
        return results

    def _reread_gap(self, crop: np.ndarray, line: OcrLine) -> OcrLine:
        """Read a line again stretched along its length; keep the reading with more characters.

        CTC decoding merges a character repeated without a blank frame between (二〇〇四
        read as 二〇四): stretching gives each character more frames.
        """
        stretched = cv2.resize(crop, None, fx=_STRETCH, fy=1.0, interpolation=cv2.INTER_CUBIC)
        ((text, score, confs, _cols),) = self._read([stretched])
        if len(text) <= len(line.text) or score < line.confidence - 0.05:
            return line
        return OcrLine(text, line.box, score, _low_confidence(confs))


_BLOCK_SHRINK = 8  # the ink box is found on the page shrunk this many times
_BLOCK_MARGIN = 0.02  # of the page's long side, kept around the ink box
_BLOCK_REACH = 32  # detector pixels (one grid cell) kept beyond the margin: near a cut, padding is not paper


def _ink_block(image: np.ndarray) -> tuple[int, int, int, int]:
    """The box (x0, y0, x1, y1) around the page's ink with a margin; empty when there is no ink."""
    h, w = image.shape[:2]
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(grey, (max(1, w // _BLOCK_SHRINK), max(1, h // _BLOCK_SHRINK)), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(small < 200)
    if not len(xs):
        return 0, 0, 0, 0
    fx, fy = w / small.shape[1], h / small.shape[0]
    margin = _BLOCK_MARGIN * max(h, w)
    return (
        max(0, int(xs.min() * fx - margin)),
        max(0, int(ys.min() * fy - margin)),
        min(w, int((xs.max() + 1) * fx + margin)),
        min(h, int((ys.max() + 1) * fy + margin)),
    )


def _bgr(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def _has_gap(text: str, cols: list[int]) -> bool:
    """Two neighbouring characters further apart (in CTC frames) than most characters are: one was lost.

    Counted among Han characters only: a Latin letter or digit takes fewer frames.
    """
    if len(cols) != len(text) or len(cols) < 3:
        return False
    steps = [b - a for a, b, ca, cb in zip(cols, cols[1:], text, text[1:], strict=False) if _wide(ca) and _wide(cb)]
    if len(steps) < 2:
        return False
    typical = sorted(steps)[len(steps) // 2]
    return any(step > (1 + _MISSING_CHAR) * typical for step in steps)


def _wide(char: str) -> bool:
    return ord(char) >= 0x2E80


def _low_confidence(confs: list[float]) -> tuple[int, ...]:
    """Indices of characters scored under the threshold (one score per character of the text)."""
    return tuple(i for i, conf in enumerate(confs) if conf < LOW_CONFIDENCE)


@register("rapidocr")
def _tuned(options: EngineOptions) -> OcrEngine:
    return RapidEngine("rapidocr", _TUNED, options)


@register("rapidocr-defaults")
def _defaults(options: EngineOptions) -> OcrEngine:
    return RapidEngine("rapidocr-defaults", {}, options, library_pipeline=True)
