"""PDF/A-2b (ISO 19005-2, level B) from reportlab's output, with pikepdf; and the checks a
validator makes, for the tests and for `gazette verify`.

What the step does:

- an sRGB output intent (``/GTS_PDFA1``) whose ICC profile Pillow's ``ImageCms`` makes
  (the profile's creation date fixed, so the bytes never change);
- the information dictionary (Title, Author, Subject, Keywords, Creator, Producer,
  CreationDate, ModDate) and an XMP packet saying the same in Dublin Core, XMP and PDF
  terms, with ``pdfaid:part=2`` and ``pdfaid:conformance=B``; the metadata stream is
  left unfiltered;
- every annotation printable (``/F 4``); no JavaScript, actions or encryption;
- header ``%PDF-1.7``; the trailer ``/ID`` and ``xmpMM:DocumentID`` derived from the
  content (qpdf's deterministic id): the same input gives the same bytes.

Dates come from the caller (the issue's date), never the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

PRODUCER = "gazette publish (reportlab, pikepdf)"
ICC_DESCRIPTION = "sRGB IEC61966-2.1"
_FORBIDDEN_CATALOG_KEYS = ("/AA", "/OpenAction", "/JavaScript")
_FORBIDDEN_ANNOTATIONS = ("/Movie", "/Sound", "/FileAttachment", "/3D", "/RichMedia", "/Screen")


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = "gazette"
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    language: str = "zh-CN"


def pdf_date(moment: dt.datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'``."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{mins:02d}'"


def xmp_date(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS through Pillow, with a fixed creation date."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes([0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])  # 2000-01-01 00:00:00
    data[84:100] = bytes(16)  # no profile id (it would hash the date just changed)
    return bytes(data)


def make_pdfa(data: bytes, meta: Metadata) -> bytes:
    """``data`` (a PDF) as PDF/A-2b with ``meta``; deterministic."""
    digest = hashlib.sha256(data).digest()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _strip_forbidden(pdf)
        info = Dictionary(
            Title=String(meta.title),
            Author=String(meta.author),
            Subject=String(meta.subject),
            Keywords=String(meta.keywords),
            Creator=String(meta.creator),
            Producer=String(PRODUCER),
            CreationDate=String(pdf_date(meta.created)),
            ModDate=String(pdf_date(meta.created)),
        )
        pdf.trailer.Info = pdf.make_indirect(info)
        xmp = pikepdf.Stream(pdf, xmp_packet(meta, str(uuid.UUID(bytes=digest[:16]))).encode("utf-8"))
        xmp.Type = Name.Metadata
        xmp.Subtype = Name.XML
        pdf.Root.Metadata = pdf.make_indirect(xmp)
        profile = pikepdf.Stream(pdf, srgb_profile())
        profile.N = 3
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFA1,
            OutputConditionIdentifier=String(ICC_DESCRIPTION),
            Info=String(ICC_DESCRIPTION),
            RegistryName=String("http://www.color.org"),
            DestOutputProfile=pdf.make_indirect(profile),
        )
        pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
        pdf.Root.Lang = String(meta.language)
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", Array()):
                annot.F = 4  # printable, not hidden
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            force_version="1.7",
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue()


def _strip_forbidden(pdf: pikepdf.Pdf) -> None:
    for key in _FORBIDDEN_CATALOG_KEYS:
        if key in pdf.Root:
            del pdf.Root[key]
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        del names["/JavaScript"]
    for page in pdf.pages:
        if "/AA" in page.obj:
            del page.obj["/AA"]


def xmp_packet(meta: Metadata, document_id: str) -> str:
    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    created = xmp_date(meta.created)
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>" if meta.author else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">\n'
        "   <pdfaid:part>2</pdfaid:part>\n"
        "   <pdfaid:conformance>B</pdfaid:conformance>\n"
        "   <dc:format>application/pdf</dc:format>\n"
        f"   <dc:title>{alt(meta.title)}</dc:title>\n"
        f"   {creator}\n"
        f"   <dc:description>{alt(meta.subject)}</dc:description>\n"
        f"   <dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>\n"
        f"   <pdf:Keywords>{escape(meta.keywords)}</pdf:Keywords>\n"
        f"   <pdf:Producer>{escape(PRODUCER)}</pdf:Producer>\n"
        f"   <xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>\n"
        f"   <xmp:CreateDate>{created}</xmp:CreateDate>\n"
        f"   <xmp:ModifyDate>{created}</xmp:ModifyDate>\n"
        f"   <xmp:MetadataDate>{created}</xmp:MetadataDate>\n"
        f"   <xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n" + " " * 64 + "\n"
        '<?xpacket end="w"?>'
    )
