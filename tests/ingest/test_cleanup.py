"""Page clean-up steps: each measured on a generated page with a known fault."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ingest.cleanup import CleanupSettings, black_ink, clean_page, is_sideways, skew_angle, whiten_edges_and_holes
from samples.corpus import iter_corpus_documents
from samples.scans import render_document


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    doc = next(d for d in iter_corpus_documents() if d.id == "国办函〔1996〕14号")
    return render_document(doc)[0].pixels


def _rotated(pixels: np.ndarray, degrees: float) -> np.ndarray:
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(pixels, matrix, (w, h), borderValue=(255, 255, 255))


@pytest.mark.parametrize("degrees", [-3.0, -1.2, 0.0, 2.5])
def test_skew_is_measured_within_a_fifth_of_a_degree(page: np.ndarray, degrees: float) -> None:
    assert skew_angle(black_ink(_rotated(page, degrees))) == pytest.approx(-degrees, abs=0.2)


def test_a_page_on_its_side_is_found(page: np.ndarray) -> None:
    grey = black_ink(page)
    assert not is_sideways(grey)
    assert is_sideways(np.ascontiguousarray(np.rot90(grey)))


def test_red_ink_vanishes_and_black_under_it_stays() -> None:
    rgb = np.full((200, 200, 3), 255, np.uint8)
    rgb[:, 100:] = (210, 30, 35)  # a seal's red
    rgb[90:110, 50:150] = (20, 20, 20)  # black ink, half of it under the red
    grey = black_ink(rgb)
    assert grey[10, 150] > 240 and grey[100, 60] < 40 and grey[100, 140] < 40


def test_scanner_border_and_punch_holes_become_paper() -> None:
    grey = np.full((3508, 2480), 250, np.uint8)
    grey[:, :30] = 20
    cv2.circle(grey, (140, 1200), 35, 30, -1)
    grey[1000:1060, 600:1400] = 0  # a line of text stays
    cleaned, removed = whiten_edges_and_holes(grey, 300)
    assert removed == 2 and cleaned[:, :30].min() > 240 and cleaned[1200, 140] > 240
    assert cleaned[1030, 1000] == 0


def test_steps_are_switchable_and_recorded(page: np.ndarray) -> None:
    everything = clean_page(page, 300)
    assert everything.steps[:3] == ("drop-red", "crop-borders(0)", "flatten")
    assert everything.red is not None  # the red header, for its own reading
    nothing = clean_page(page, 300, CleanupSettings(False, False, False, False, False))
    assert nothing.steps == () and nothing.red is None


def test_yellowed_unevenly_lit_paper_is_flattened_to_white(page: np.ndarray) -> None:
    _h, w = page.shape[:2]
    light = np.linspace(0.7, 1.0, w, dtype=np.float32)[None, :, None]
    yellowed = (page.astype(np.float32) * np.array([0.93, 0.88, 0.72]) * light).astype(np.uint8)
    grey = clean_page(yellowed, 300, CleanupSettings(orientation=False, deskew=False)).grey
    paper = grey[grey > 128]
    assert np.percentile(paper, 5) > 235
