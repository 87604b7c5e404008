"""Line recognition on OpenVINO with one static input shape per band of line widths.

A recognition crop is ``1×3×48×W`` with ``W`` different for nearly every line. OpenVINO
runs a dynamic-width model by preparing kernels for each new shape; compiled for one
fixed width it prepares them once (and runs bf16 on AMX where the CPU has it). Measured
on one thread of this project's Xeon, the lines of a page read at 65 ms a line on ONNX
Runtime, 42 ms on OpenVINO with dynamic width, 27 ms with dynamic width but each line
padded to a band of 320 pixels (few shapes), and 20 ms compiled for each band.

Each compiled band holds about 30 MB of weights plus its activations (about 75 MB at
1,280 pixels), so only bands up to ``STATIC_UP_TO`` are compiled (they hold nearly every
line of a page); wider crops (long lines stretched for a re-read) share one
dynamic-width model. Crops are padded on the right with zeros, as PaddleOCR pads the
lines of one batch to the widest, so the extra frames at the end read as blanks. A band
is compiled the first time a line of its width comes (about 0.7 s) and kept for the process.
"""

from __future__ import annotations

from typing import Any

import numpy as np

BAND = 320  # pixels: about 13% more work than exact widths, in half as many shapes as 160
STATIC_UP_TO = 1280  # the widest band compiled on its own: four bands, about 300 MB


class WidthBucketedSession:
    """Stands in for rapidocr's recogniser session: called with a batch, returns its frames."""

    def __init__(self, model: Any, config: dict[str, str]) -> None:
        import openvino as ov

        self._model = model
        self._core = ov.Core()
        self._config = config
        # Keyed by the static input shape, or None for the shared dynamic-width model.
        self._compiled: dict[tuple[int, ...] | None, Any] = {}

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        width = batch.shape[3]
        band = -(-width // BAND) * BAND
        if band != width:
            padded = np.zeros((*batch.shape[:3], band), dtype=np.float32)
            padded[..., :width] = batch
            batch = padded
        shape = batch.shape if band <= STATIC_UP_TO else None
        request = self._compiled.get(shape)
        if request is None:
            request = self._compiled[shape] = self._compile(shape)
        request.infer([batch])
        return request.get_output_tensor().data.copy()

    def _compile(self, shape: tuple[int, ...] | None) -> Any:
        model = self._model.clone()
        if shape is not None:
            model.reshape({0: list(shape)})
        return self._core.compile_model(model, "CPU", self._config).create_infer_request()
