"""What a PDF/A-2b validator (veraPDF) checks first, as a function: `problems(data)`.

Not a full validator: it checks the clauses of ISO 19005-2 that a publisher's file can
fail — the header, no encryption, the trailer ID, the XMP identification and its match
with the information dictionary, the output intent, every font embedded with widths
that agree with its program, annotations printable, no JavaScript or additional
actions, no forbidden graphics-state or image keys. An empty list means it passes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf
from lxml import etree

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
_FORBIDDEN_ANNOTATIONS = {"/Movie", "/Sound", "/FileAttachment", "/3D", "/RichMedia", "/Screen"}
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-Z])(\d{2})?'?(\d{2})?")


def problems(data: bytes) -> list[str]:
    found: list[str] = []
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", data):
        found.append("header: %PDF-1.n and a comment of four bytes above 127 must open the file")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            found.append("encrypted")
        if "/ID" not in pdf.trailer:
            found.append("trailer: no /ID")
        found += _metadata(pdf)
        found += _output_intent(pdf)
        found += _catalog(pdf)
        for number, page in enumerate(pdf.pages, 1):
            found += [f"page {number}: {problem}" for problem in _page(page)]
    return found


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _metadata(pdf: pikepdf.Pdf) -> list[str]:
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return ["no XMP metadata stream in the catalog"]
    out = []
    if "/Filter" in stream:
        out.append("the XMP metadata stream is filtered")
    if stream.get("/Subtype") != "/XML" or stream.get("/Type") != "/Metadata":
        out.append("the metadata stream is not /Type /Metadata /Subtype /XML")
    try:
        root = etree.fromstring(stream.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [*out, f"XMP does not parse: {error}"]

    def one(path: str) -> str | None:
        hits = root.xpath(f"//rdf:Description/{path}", namespaces=NS)
        if not isinstance(hits, list) or not hits:  # a location path: always a node list
            return None
        hit = hits[0]
        if isinstance(hit, str):  # an attribute's value
            return hit
        if isinstance(hit, etree._Element):
            return hit.text or ""
        raise TypeError(f"XPath {path} selected {hit!r}")

    if one("pdfaid:part") != "2" and root.xpath("//rdf:Description/@pdfaid:part", namespaces=NS) != ["2"]:
        out.append("XMP: pdfaid:part is not 2")
    if one("pdfaid:conformance") != "B":
        out.append("XMP: pdfaid:conformance is not B")
    info = pdf.trailer.get("/Info", pikepdf.Dictionary())
    pairs = {
        "/Title": one("dc:title/rdf:Alt/rdf:li"),
        "/Author": one("dc:creator/rdf:Seq/rdf:li"),
        "/Subject": one("dc:description/rdf:Alt/rdf:li"),
        "/Keywords": one("pdf:Keywords"),
        "/Producer": one("pdf:Producer"),
        "/Creator": one("xmp:CreatorTool"),
    }
    for key, xmp_value in pairs.items():
        info_value = info.get(key)
        if info_value is not None and _text(info_value) and _text(info_value) != (xmp_value or ""):
            out.append(f"info {key} {_text(info_value)!r} differs from its XMP value {xmp_value!r}")
    for key, path in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and _same_moment(_text(info[key]), one(path)) is False:
            out.append(f"info {key} differs from XMP {path}")
    return out


def _same_moment(pdf_value: str, xmp_value: str | None) -> bool:
    match = _PDF_DATE.match(pdf_value)
    if match is None or xmp_value is None:
        return False
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    zone = "+00:00" if sign == "Z" else f"{sign}{off_h or '00'}:{off_m or '00'}"
    return xmp_value == f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"


def _output_intent(pdf: pikepdf.Pdf) -> list[str]:
    intents = [i for i in pdf.Root.get("/OutputIntents", pikepdf.Array()) if i.get("/S") == "/GTS_PDFA1"]
    if not intents:
        return ["no /GTS_PDFA1 output intent"]
    profiles = {bytes(i.DestOutputProfile.read_bytes()) for i in intents if "/DestOutputProfile" in i}
    if len(profiles) != 1:
        return ["the output intents do not share one ICC profile"]
    profile = profiles.pop()
    if profile[16:20] != b"RGB " or int(intents[0].DestOutputProfile.get("/N", 0)) != 3:
        return ["the output intent's profile is not an RGB profile with /N 3"]
    return []


def _catalog(pdf: pikepdf.Pdf) -> list[str]:
    out = [f"catalog has {key}" for key in ("/AA", "/OpenAction") if key in pdf.Root]
    names = pdf.Root.get("/Names")
    if names is not None:
        out += [f"catalog names hold {key}" for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
    return out


def _page(page: pikepdf.Page) -> list[str]:
    out = []
    if "/AA" in page.obj:
        out.append("has additional actions")
    for annot in page.obj.get("/Annots", pikepdf.Array()):
        subtype = _text(annot.get("/Subtype"))
        if subtype in _FORBIDDEN_ANNOTATIONS:
            out.append(f"annotation {subtype} is not allowed")
        flags = int(annot.get("/F", 0))
        if not flags & 4 or flags & (1 | 2 | 32):
            out.append(f"annotation {subtype} is not printable (/F {flags})")
        action = annot.get("/A")
        if action is not None and action.get("/S") in ("/JavaScript", "/Launch"):
            out.append("annotation with a JavaScript or Launch action")
    for name, font in _fonts(page.obj.get("/Resources", pikepdf.Dictionary())):
        out += [f"font {name}: {problem}" for problem in _font(font)]
    for gs in page.obj.get("/Resources", pikepdf.Dictionary()).get("/ExtGState", pikepdf.Dictionary()).values():
        out += [f"graphics state has {key}" for key in ("/TR", "/HTP", "/HTO") if key in gs]
        if "/TR2" in gs and gs.TR2 != "/Default":
            out.append("graphics state has /TR2")
    for xobject in page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Image":
            if xobject.get("/Interpolate", False):
                out.append("image with /Interpolate true")
            out += [f"image has {key}" for key in ("/Alternates", "/OPI") if key in xobject]
    return out


# Annotated Object, as pikepdf types what .get and indexing return: dictionaries in a valid file.
def _fonts(resources: pikepdf.Object) -> Iterator[tuple[str, pikepdf.Object]]:
    yield from resources.get("/Font", pikepdf.Dictionary()).items()
    for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject.Resources)


def _font(font: pikepdf.Object) -> list[str]:
    subtype = _text(font.get("/Subtype"))
    if subtype == "/Type3":
        return []
    if subtype == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return ["not embedded (no font descriptor)"]
    program = next((descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor), None)
    if program is None:
        return ["not embedded"]
    if subtype == "/TrueType":
        return _truetype_widths(font, program.read_bytes())
    return []


def _truetype_widths(font: pikepdf.Object, program: bytes) -> list[str]:
    """/Widths agree with the embedded program's advance widths (veraPDF's 6.2.11.5), and a
    symbolic TrueType font has no /Encoding and one cmap subtable or a (3,0) one (6.2.11.6)."""
    from fontTools.ttLib import TTFont

    out = []
    tt = TTFont(io.BytesIO(program))
    first = int(font.get("/FirstChar", 0))
    widths = [float(w) for w in font.get("/Widths", pikepdf.Array())]
    if len(widths) != int(font.get("/LastChar", first - 1)) - first + 1:
        out.append("/Widths has the wrong length")
    flags = int(font.FontDescriptor.get("/Flags", 0))
    tables = tt["cmap"].tables
    if flags & 4:
        if "/Encoding" in font:
            out.append("symbolic TrueType font with an /Encoding")
        if len(tables) != 1 and not any((t.platformID, t.platEncID) == (3, 0) for t in tables):
            out.append("symbolic TrueType font whose cmap has several subtables and no (3,0)")
    cmap = tables[0].cmap if tables else {}
    scale = 1000 / tt["head"].unitsPerEm
    metrics = tt["hmtx"].metrics
    for code, width in enumerate(widths, first):
        glyph = cmap.get(code)
        if glyph is None:
            continue
        actual = metrics[glyph][0] * scale
        if abs(actual - width) > 1:
            out.append(f"width of code {code} is {width} in /Widths but {actual:.1f} in the font")
            break
    return out
