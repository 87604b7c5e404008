"""PDF/A-2b: what a validator checks (veraPDF itself cannot run here: no Java)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from publish.pdfa import Metadata, make_pdfa, srgb_profile
from publish.pdfa_check import problems


def test_published_files_pass_the_checks(published: Path) -> None:
    for path in [published / "issue.pdf", *sorted((published / "documents").glob("*.pdf"))]:
        assert problems(path.read_bytes()) == [], path.name


def test_output_intent_xmp_and_info_agree(published: Path) -> None:
    with pikepdf.open(published / "issue.pdf") as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        assert str(pdf.trailer.Info.Title) in xmp and "/Filter" not in pdf.Root.Metadata.stream_dict
        assert str(pdf.trailer.Info.CreationDate).startswith("D:20260630000000+08'00'")
        assert pdf.pdf_version == "1.7" and not pdf.is_encrypted


def test_every_font_embedded_with_widths(published: Path) -> None:
    with pikepdf.open(published / "issue.pdf") as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        assert fonts
        names = [str(font.BaseFont) for font in fonts.values()]
        assert len(names) == len(set(names))  # every embedded subset has a name of its own
        for font in fonts.values():
            assert font.Subtype == "/TrueType" and "/FontFile2" in font.FontDescriptor, font.BaseFont
            assert len(font.Widths) == int(font.LastChar) - int(font.FirstChar) + 1
            assert "Helvetica" not in str(font.BaseFont)


def test_contents_links_are_printable(published: Path) -> None:
    with pikepdf.open(published / "issue.pdf") as pdf:
        links = [annot for page in pdf.pages for annot in page.get("/Annots", [])]
    assert links and all(int(link.F) == 4 for link in links)


def test_the_checks_catch_what_they_check() -> None:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(100, 100, "Helvetica, not embedded")
    canvas.save()
    found = problems(out.getvalue())
    assert any("not embedded" in problem for problem in found)
    assert "no /GTS_PDFA1 output intent" in found and "no XMP metadata stream in the catalog" in found
    fixed = make_pdfa(out.getvalue(), Metadata("t"))
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        pdf.trailer.Info.Title = "another title"
        tampered = io.BytesIO()
        pdf.save(tampered)
    assert any("differs from its XMP value" in problem for problem in problems(tampered.getvalue()))


def test_the_step_is_deterministic_and_the_profile_fixed() -> None:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    Canvas(out, invariant=1).save()
    assert make_pdfa(out.getvalue(), Metadata("t")) == make_pdfa(out.getvalue(), Metadata("t"))
    assert srgb_profile()[16:20] == b"RGB " and srgb_profile()[24:26] == b"\x07\xd0"
    with pytest.raises(pikepdf.PdfError):
        make_pdfa(b"not a pdf", Metadata("t"))
