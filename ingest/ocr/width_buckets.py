"""Line recognition on OpenVINO with one static input shape per band of line widths.

A recognition crop is ``1×3×48×W`` with ``W`` different for nearly every line. OpenVINO
runs a dynamic-width model by preparing kernels for each new shape; compiled for one
fixed width it prepares them once (and runs bf16 on AMX where the CPU has it). Measured
on one thread of this project's Xeon, lines of a page read at 65 ms a line on ONNX
Runtime, 42 ms on OpenVINO with dynamic width, and 20–29 ms in static bands of 160–320
pixels. Each crop is padded on the right with zeros, as PaddleOCR pads the lines of one
batch to the widest, so the extra frames at the end read as blanks. A band is compiled
the first time a line of its width comes (about 0.7 s) and kept for the process; each
holds about 70 MB, so bands are 320 pixels wide: five cover the lines of a page.
"""

from __future__ import annotations

from typing import Any

import numpy as np

BAND = 320  # pixels: about 13% more work than exact widths, in half as many compiled shapes as 160


class WidthBucketedSession:
    """Stands in for rapidocr's recogniser session: called with a batch, returns its frames."""

    def __init__(self, model: Any, config: dict[str, str]) -> None:
        import openvino as ov

        self._model = model
        self._core = ov.Core()
        self._config = config
        self._compiled: dict[tuple[int, ...], Any] = {}

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        width = batch.shape[3]
        band = -(-width // BAND) * BAND
        if band != width:
            padded = np.zeros((*batch.shape[:3], band), dtype=np.float32)
            padded[..., :width] = batch
            batch = padded
        request = self._compiled.get(batch.shape)
        if request is None:
            request = self._compiled[batch.shape] = self._compile(batch.shape)
        request.infer([batch])
        return request.get_output_tensor().data.copy()

    def _compile(self, shape: tuple[int, ...]) -> Any:
        model = self._model.clone()
        model.reshape({0: list(shape)})
        return self._core.compile_model(model, "CPU", self._config).create_infer_request()
