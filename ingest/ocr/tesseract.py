"""Debian's Tesseract (``tesseract-ocr-chi-sim``), for comparison and as a fallback: ``chi_sim``, psm 6."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess

import cv2
import numpy as np

from gazette.exceptions import BadInputError, MissingDependencyError
from ingest.ocr.base import LOW_CONFIDENCE, EngineOptions, OcrEngine, OcrLine, register


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(self, options: EngineOptions) -> None:
        binary = shutil.which("tesseract")
        if binary is None:
            raise MissingDependencyError(
                "tesseract is not installed; run `apt-get install tesseract-ocr tesseract-ocr-chi-sim`"
            )
        languages = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, check=False).stdout.split()
        if options.language not in languages:
            raise MissingDependencyError(
                f"tesseract has no {options.language!r} data; run `apt-get install tesseract-ocr-chi-sim`"
            )
        self._binary = binary
        self._language = options.language
        self._psm = options.get("psm", "6")
        # One process per core is faster than Tesseract's own OpenMP threads on whole pages.
        self._env = {**os.environ, "OMP_THREAD_LIMIT": str(options.threads or 1)}

    def version(self) -> str:
        out = subprocess.run([self._binary, "--version"], capture_output=True, text=True, check=False).stdout
        return out.splitlines()[0] if out else "tesseract"

    def recognise(self, image: np.ndarray) -> list[OcrLine]:
        ok, png = cv2.imencode(".png", image)
        if not ok:
            raise BadInputError("cannot encode the page for tesseract")
        done = subprocess.run(
            [self._binary, "-", "-", "-l", self._language, "--psm", self._psm, "tsv"],
            input=png.tobytes(),
            capture_output=True,
            env=self._env,
            check=False,
        )
        if done.returncode != 0:
            raise BadInputError(f"tesseract failed: {done.stderr.decode(errors='replace').strip()[-200:]}")
        return _lines_from_tsv(done.stdout.decode("utf-8"))


def _lines_from_tsv(tsv: str) -> list[OcrLine]:
    """Words grouped by (block, paragraph, line); a word under the threshold marks all its characters."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            groups.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for words in groups.values():
        text = ""
        marks: list[int] = []
        scores: list[float] = []
        for word in words:
            if text:
                text += " "
            conf = max(float(word["conf"]), 0.0) / 100
            if conf < LOW_CONFIDENCE:
                marks.extend(range(len(text), len(text) + len(word["text"])))
            text += word["text"]
            scores.append(conf)
        x0 = min(int(w["left"]) for w in words)
        y0 = min(int(w["top"]) for w in words)
        x1 = max(int(w["left"]) + int(w["width"]) for w in words)
        y1 = max(int(w["top"]) + int(w["height"]) for w in words)
        lines.append(OcrLine(text, (x0, y0, x1, y1), sum(scores) / len(scores), tuple(marks)))
    return lines


@register("tesseract")
def _create(options: EngineOptions) -> OcrEngine:
    return TesseractEngine(options)
