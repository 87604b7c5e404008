"""Seals found by shape and taken out of grey and bilevel pages, the text under them kept.

Pages are printed by `samples.scans` with and without the seal (its drawing switched off),
so what the seal alone put on the page, and what the text alone did, are known pixel by
pixel. Documents other than the one the rules were tuned on, with seals of three and six
characters.
"""

from __future__ import annotations

import numpy as np
import pytest

from ingest.furniture import find_seals, suppress_seals
from samples import scans
from samples.corpus import iter_corpus_documents
from samples.scans import ScanSettings, printed_date, scanner_ink
from samples.truth import lost_lines

GREY = ScanSettings("grey-flat", ink="grey")
BILEVEL = ScanSettings("bilevel-flat", ink="bilevel")
DOCS = ("国发〔2018〕41号", "国办发〔2004〕7号")  # 国务院 (3 characters on the ring), 国务院办公厅 (6)


def _last_page(doc_number: str, seal: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[np.ndarray, tuple[int, ...]]:
    """The printed last page (colour) and the box of its date line."""
    doc = next(d for d in iter_corpus_documents() if d.doc_number == doc_number)
    if not seal:
        monkeypatch.setattr(scans, "_draw_seal", lambda page, seal: None)
    page = next(p for p in scans.render_document(doc) if any(line.text == printed_date(doc) for line in p.lines))
    monkeypatch.undo()
    date = next(line for line in page.lines if line.text == printed_date(doc))
    return page.pixels, date.box


@pytest.mark.parametrize("doc_number", DOCS)
@pytest.mark.parametrize("settings", [GREY, BILEVEL], ids=["grey", "bilevel"])
def test_the_seal_is_found_by_its_ring_and_taken_out(
    doc_number: str, settings: ScanSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed, (x0, y0, x1, y1) = _last_page(doc_number, True, monkeypatch)
    bare, _ = _last_page(doc_number, False, monkeypatch)
    page, text = scanner_ink(sealed, settings), scanner_ink(bare, settings) < 128
    (seal,) = find_seals(page, 300.0)
    assert seal.radius == pytest.approx(21 * 300 / 25.4, rel=0.03)  # the generator's 42 mm seal
    assert x0 < seal.x < x1 and seal.y < y0  # over the date, its centre above the date line
    cleaned = suppress_seals(page, [seal]) < 128
    seal_only = (page < 128) & ~text
    left, top, right, bottom = seal.box
    if settings is BILEVEL:  # the star is as black as the text under it: left for the recogniser
        yy, xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]]
        seal_only &= np.hypot(xx - seal.x, yy - seal.y) > 0.35 * seal.radius
    assert cleaned[top:bottom, left:right][seal_only[top:bottom, left:right]].mean() < 0.05  # star tips
    # The date line's own ink is kept (a bilevel page loses what the ring crosses).
    kept = cleaned[y0:y1, x0:x1][text[y0:y1, x0:x1]].mean()
    assert kept > (0.8 if settings is GREY else 0.75)


def test_pages_without_a_seal_have_none(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = next(d for d in iter_corpus_documents() if d.doc_number == DOCS[1])
    first = scans.render_document(doc)[0].pixels  # red header and rule, a full page of text
    for settings in (GREY, BILEVEL):
        assert find_seals(scanner_ink(first, settings), 300.0) == []


def test_a_ring_of_noise_or_a_punch_hole_is_not_a_seal() -> None:
    rng = np.random.default_rng(1)
    page = np.full((1200, 1200), 230, np.uint8)
    page[rng.random(page.shape) < 0.02] = 0  # speckle
    import cv2

    cv2.circle(page, (300, 300), 35, 0, -1)  # a punch hole, 6 mm
    cv2.ellipse(page, (800, 800), (240, 240), 0, 0, 120, 0, 14)  # a third of a ring: an arc
    assert find_seals(page, 300.0) == []


# Dates under the seal on documents and dates other than those the readings were tuned on:
# 〇〇 in the year (a ring crossing one), 七 and 五 (a ring turns them into 一 and 三).
SEALED_DATES = (
    ("国办发〔2004〕7号", "2004-07-27"),
    ("国办函〔2006〕71号", "2006-09-07"),
    ("国发〔2018〕41号", "2003-05-25"),
)


@pytest.mark.slow
@pytest.mark.parametrize(("doc_number", "iso"), SEALED_DATES)
@pytest.mark.parametrize("setting", ["grey", "bilevel"])
def test_a_date_under_a_seal_reads_right_or_not_at_all(doc_number: str, iso: str, setting: str, tmp_path) -> None:
    """The date a scanned last page gives (read, or its year completed from the 文号's) is the
    printed one or none: never another date. The 署名 above it is not lost."""
    import dataclasses

    from gazette.dates import date_in_year_lacking_zeros, is_date_shaped, parse_date
    from ingest.raster import read_pages
    from ingest.recognise import ocr_page

    doc = dataclasses.replace(
        next(d for d in iter_corpus_documents() if d.doc_number == doc_number),
        date_written=iso,
        date_written_printed=None,
    )
    # The page the date and seal are printed on: the last, or above a plan the notice issues.
    pages = scans.scan_document(doc, scans.SETTINGS[setting], seed=7)
    sealed = next(page for page in pages if any(is_date_shaped(line.text) for line in page.lines))
    (path,) = scans.write_pages([sealed], tmp_path / "page")
    text = ocr_page(next(iter(read_pages(path))), "0" * 64).text
    assert "drop-seals(1)" in text.steps
    (line,) = [line for line in text.lines if is_date_shaped(line.text)]
    found = parse_date(line.text) or date_in_year_lacking_zeros(line.text, int(iso[:4]))
    assert found is None or found.iso == iso, line.text
    assert found is not None, line.text  # and here, read
    # The 署名 printed across the star is read too, as the lines-lost count of bench/ocr.py sees it.
    signature = sealed.lines[[drawn.text for drawn in sealed.lines].index(printed_date(doc)) - 1].text
    assert not lost_lines([signature], [line.text for line in text.lines]), [line.text for line in text.lines]


def _signature_box(doc_number: str) -> tuple[int, ...]:
    """The box of the 署名, the line above the date."""
    doc = next(d for d in iter_corpus_documents() if d.doc_number == doc_number)
    page = next(p for p in scans.render_document(doc) if any(line.text == printed_date(doc) for line in p.lines))
    lines = [line.text for line in page.lines]
    return page.lines[lines.index(printed_date(doc)) - 1].box


@pytest.mark.parametrize("doc_number", DOCS)
@pytest.mark.parametrize("settings", [GREY, BILEVEL], ids=["grey", "bilevel"])
def test_the_signature_under_the_seal_is_kept_and_the_ring_characters_are_not(
    doc_number: str, settings: ScanSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 署名 is printed across the seal's star, its first and last characters on the band of
    the ring's characters (beside some of them): all of its ink stays, none of the ring's."""
    sealed, _ = _last_page(doc_number, True, monkeypatch)
    bare, _ = _last_page(doc_number, False, monkeypatch)
    x0, y0, x1, y1 = _signature_box(doc_number)
    page, text = scanner_ink(sealed, settings), scanner_ink(bare, settings) < 128
    (seal,) = find_seals(page, 300.0)
    cleaned = suppress_seals(page, [seal]) < 128
    assert cleaned[y0:y1, x0:x1][text[y0:y1, x0:x1]].mean() > 0.95
    # The ring's characters (beyond the star, above the date) are gone.
    yy, xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]]
    band = (np.hypot(xx - seal.x, yy - seal.y) > 0.45 * seal.radius) & (yy < seal.y + 0.2 * seal.radius)
    ring_glyphs = (
        (page < 128) & ~text & band & (np.abs(np.hypot(xx - seal.x, yy - seal.y) - seal.radius) > 3 * seal.half_width)
    )
    assert cleaned[ring_glyphs].mean() < 0.05
