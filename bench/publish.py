"""Publishing speed: seconds for a 100-page issue, and standard-text pages per second.

    python bench/publish.py [--pages 100] [--repeat 3]

The issue is made of the corpus's 20 documents (repeated until it has the pages asked
for), laid out, rendered, made PDF/A-2b; the standard texts are the same documents, one
PDF each. A peer is measured in the same run — reportlab's own Platypus setting the same
text in paragraphs, no grid, no PDF/A — and given as a ratio, since this machine's speed
varies from run to run. Results go to ``bench/results/publish.json`` with the CPU model
and flags beside every speed.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import describe, machine
from gazette.model import Document
from publish.document_pdf import document_pdf
from publish.fonts import load_fonts
from publish.issue_pdf import IssueData, issue_layout
from publish.pdfa import Metadata, make_pdfa
from publish.render import render
from publish.typeset import Setter
from samples.corpus import iter_corpus_documents

RESULTS = Path(__file__).parent / "results" / "publish.json"


def issue_of(pages: int, fonts) -> IssueData:
    docs = list(iter_corpus_documents())
    chosen: list[Document] = []
    total, setter = 0, Setter(fonts)
    while total < pages:
        for doc in docs:
            doc = replace(doc, id=f"{doc.id}-{len(chosen)}")
            chosen.append(doc)
            probe = IssueData("国务院公报", 2019, 5, "2019-02-20", "国务院办公厅", 1650, (("文件", (doc,)),))
            total += len(issue_layout(probe, setter)[0]) - 2
            if total >= pages:
                break
    return IssueData("国务院公报", 2019, 5, "2019-02-20", "国务院办公厅", 1650, (("国务院文件", tuple(chosen)),))


def publish_issue(issue: IssueData, fonts) -> tuple[int, float]:
    start = time.perf_counter()
    pages, _ = issue_layout(issue, Setter(fonts))
    make_pdfa(render(pages, fonts.name("fangsong")), Metadata("bench"))
    return len(pages), time.perf_counter() - start


def standard_texts(fonts) -> tuple[int, float]:
    import pikepdf

    start = time.perf_counter()
    count = 0
    for doc in iter_corpus_documents():
        data = make_pdfa(document_pdf(doc, fonts), Metadata(doc.title))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            count += len(pdf.pages)
    return count, time.perf_counter() - start


def peer(fonts) -> tuple[int, float]:
    """reportlab Platypus, the same text in paragraphs with CJK word wrap: the library's own way."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    start = time.perf_counter()
    out = io.BytesIO()
    style = ParagraphStyle(
        "body", fontName=fonts.name("fangsong"), fontSize=16, leading=29, wordWrap="CJK", firstLineIndent=32
    )
    story = [Paragraph(block.text, style) for doc in iter_corpus_documents() for block in doc.body if block.text]
    template = SimpleDocTemplate(out, pagesize=A4, initialFontName=fonts.name("fangsong"))
    template.build(story)
    import pikepdf

    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        pages = len(pdf.pages)
    return pages, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fonts = load_fonts()
    issue = issue_of(args.pages, fonts)
    publish_issue(issue, fonts)  # warm: fonts parsed, caches filled
    runs = [publish_issue(issue, fonts) for _ in range(args.repeat)]
    docs = [standard_texts(fonts) for _ in range(args.repeat)]
    peers = [peer(fonts) for _ in range(args.repeat)]
    issue_s = statistics.median(seconds for _, seconds in runs)
    doc_pages, doc_s = docs[0][0], statistics.median(seconds for _, seconds in docs)
    peer_pages, peer_s = peers[0][0], statistics.median(seconds for _, seconds in peers)
    here = machine()
    result = {
        "issue": {
            "pages": runs[0][0],
            "seconds": round(issue_s, 3),
            "runs": [round(s, 3) for _, s in runs],
            "cpu": here,
        },
        "standard_texts": {
            "documents": 20,
            "pages": doc_pages,
            "pages_per_second": round(doc_pages / doc_s, 1),
            "cpu": here,
        },
        "peer": {
            "what": "reportlab Platypus, CJK wrap, same body text, no grid or PDF/A",
            "pages": peer_pages,
            "pages_per_second": round(peer_pages / peer_s, 1),
            "cpu": here,
        },
        "ratio_to_peer": round((doc_pages / doc_s) / (peer_pages / peer_s), 2),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'issue of ' + str(runs[0][0]) + ' pages, seconds':<34}{issue_s:>12.2f}")
    print(f"{'standard texts, pages/s':<34}{doc_pages / doc_s:>12.1f}")
    print(f"{'peer (Platypus), pages/s':<34}{peer_pages / peer_s:>12.1f}")
    print(f"{'ratio to peer':<34}{result['ratio_to_peer']:>12.2f}")
    print(f"on {describe(here)}; results in {RESULTS}")


if __name__ == "__main__":
    main()
