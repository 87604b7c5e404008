"""What the archive keeps of each page read by OCR, against the scanned originals: bytes and encoding time.

    python bench/page_images.py [--docs N] [--setting degraded|clean]

Corpus documents (``../shared/corpus/documents.jsonl``) are scanned by `samples.scans` and
held as archives hold scans (`samples.held`: colour or grey JPEG at quality 85, bilevel
CCITT G4 TIFF), one file per page. Each page is turned upright as OCR turns it
(`ingest.cleanup.clean_page`, not timed), then kept as the archive keeps it now
(`ingest.pageimage.kept_files`: geometry, and a 1-bit PNG or grey WebP reading copy within
0.3× the original's bytes) and as it kept it before (a lossless grey PNG, Huffman-only
deflate: the peer, timed in the same run). Printed per ink: bytes of the originals and of
each way of keeping them, the ratio, the reading copies made of each kind and seconds per
page. Results go to ``bench/results/page_images.json``, one entry per setting, with the CPU.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import describe, machine
from ingest.cleanup import clean_page
from ingest.pageimage import MAX_RATIO, geometry_from_steps, kept_files
from ingest.raster import read_pages
from samples.held import INKS, held


def grey_png(pixels: np.ndarray) -> bytes:
    """The page image as archives before kept it: grey, lossless, Huffman-only PNG at level 1."""
    grey = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    params = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_HUFFMAN_ONLY]
    ok, out = cv2.imencode(".png", grey, params)
    if not ok:
        raise RuntimeError("OpenCV could not encode a PNG")
    return bytes(out.tobytes())


def measure_ink(pages: list[np.ndarray], ink: str, folder: Path) -> dict[str, Any]:
    originals = kept = before = 0
    kept_seconds = before_seconds = 0.0
    kinds = {"png 1-bit": 0, "webp grey": 0, "geometry only": 0}
    for number, pixels in enumerate(pages, 1):
        suffix, data = held(pixels, ink)
        original = folder / f"{ink}-{number}{suffix}"
        original.write_bytes(data)
        page = next(iter(read_pages(original)))
        clean = clean_page(page.pixels, page.dpi)
        height, width = clean.upright.shape[:2]
        geometry = geometry_from_steps(number, (width, height), clean.steps)
        started = time.perf_counter()
        files = kept_files(clean.upright, geometry, MAX_RATIO * len(data))
        kept_seconds += time.perf_counter() - started
        started = time.perf_counter()
        old = grey_png(clean.upright)
        before_seconds += time.perf_counter() - started
        originals += len(data)
        kept += sum(len(b) for b in files.values())
        before += len(old)
        names = "".join(files)
        kinds["png 1-bit" if ".png" in names else "webp grey" if ".webp" in names else "geometry only"] += 1
    count = max(len(pages), 1)
    return {
        "ink": ink,
        "pages": len(pages),
        "original_bytes": originals,
        "kept_bytes": kept,
        "kept_ratio": round(kept / max(originals, 1), 3),
        "grey_png_bytes": before,
        "grey_png_ratio": round(before / max(originals, 1), 3),
        "reading_copies": kinds,
        "kept_seconds_per_page": round(kept_seconds / count, 3),
        "grey_png_seconds_per_page": round(before_seconds / count, 3),
        "encode_time_vs_grey_png": round(kept_seconds / max(before_seconds, 1e-9), 2),
    }


def main() -> None:
    from samples.corpus import iter_corpus_documents
    from samples.scans import SETTINGS, scan_document

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=4, help="the first N corpus documents")
    parser.add_argument("--setting", choices=("degraded", "clean"), default="degraded")
    args = parser.parse_args()
    pages: list[np.ndarray] = []
    for count, doc in enumerate(iter_corpus_documents(), 1):
        if count > args.docs:
            break
        pages += [page.pixels for page in scan_document(doc, SETTINGS[args.setting], seed=0)]
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure_ink(pages, ink, Path(folder)) for ink in INKS]
    here = machine()
    print(f"{args.setting} scans, {len(pages)} pages, one process, on {describe(here)}")
    print(
        f"{'ink':<9}{'originals MB':>13}{'kept MB':>9}{'ratio':>7}{'grey PNG MB':>13}{'ratio':>7}"
        f"{'1-bit/webp/none':>17}{'s/page':>8}{'×PNG time':>10}"
    )
    for row in rows:
        kinds = "/".join(str(n) for n in row["reading_copies"].values())
        print(
            f"{row['ink']:<9}{row['original_bytes'] / 1e6:>13.2f}{row['kept_bytes'] / 1e6:>9.2f}{row['kept_ratio']:>7}"
            f"{row['grey_png_bytes'] / 1e6:>13.2f}{row['grey_png_ratio']:>7}{kinds:>17}"
            f"{row['kept_seconds_per_page']:>8}{row['encode_time_vs_grey_png']:>10}"
        )
    out = ROOT / "bench" / "results" / "page_images.json"
    kept = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    settings = kept.get("settings", {}) if isinstance(kept, dict) else {}
    settings[args.setting] = {"documents": args.docs, "machine": here, "results": rows}
    out.write_text(json.dumps({"settings": settings}, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
