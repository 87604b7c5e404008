"""The OCR page step's own rules (engines are faked: these rules are about pixels)."""

import numpy as np

from ingest.cleanup import CleanPage
from ingest.ocr import OcrLine
from ingest.recognise import drop_seal_ghosts


def test_pale_lines_among_red_ink_are_dropped_black_ones_over_it_stay() -> None:
    grey = np.full((400, 600), 255, np.uint8)
    red = np.full((400, 600), 255, np.uint8)
    red[40:360, 100:500] = 90  # a seal
    grey[60:100, 200:400] = 190  # its characters after the colour split: pale
    grey[200:240, 150:450] = 20  # a date printed over it
    grey[300:340, 10:90] = 190  # pale, but far from red ink: not a seal's
    lines = [
        OcrLine("院办", (200, 60, 400, 100), 0.76),
        OcrLine("2018年12月26日", (150, 200, 450, 240), 1.0),
        OcrLine("淡字", (10, 300, 90, 340), 0.9),
    ]
    page = CleanPage(np.stack([grey] * 3, axis=2), grey, red, ())
    assert [line.text for line in drop_seal_ghosts(page, lines, 40.0)] == ["2018年12月26日", "淡字"]


def test_a_page_without_red_keeps_every_line() -> None:
    grey = np.full((100, 100), 200, np.uint8)
    lines = [OcrLine("淡字", (10, 10, 90, 50), 0.9)]
    assert drop_seal_ghosts(CleanPage(np.stack([grey] * 3, axis=2), grey, None, ()), lines, 20.0) == lines
