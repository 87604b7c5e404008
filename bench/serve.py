"""Load on `gazette serve` over loopback: a Whoosh and a tantivy archive of N real-text documents.

A fixed mix of requests (search pages of phrases, 文号 and facet-filtered searches, document
pages) is sent from this process to a server started in another (`gazette serve --workers W`):

- open loop: requests start at a fixed rate (default 200/s) for a fixed time, whatever the
  answers do; latency p50/p95/p99 of every request, from its scheduled start;
- closed loop: C clients (default 50) each send the next request when the last is answered;
  throughput.

The peer, measured in the same run by the same server and load: the static stylesheet (a
file served with no work), so the ratio says what the portal's own work costs. No request may
fail. The CPU model and flags go with the results (`bench/machine.py`).

    python bench/serve.py                                  # 10,000 documents, 200/s for 30 s, 50 clients
    python bench/serve.py --docs 200 --rate 20 --seconds 2 --clients 4   # smoke size (tests)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import describe, machine
from bench.search import articles
from gazette.archive import Archive
from gazette.search.analysis import stream
from gazette.search.service import rebuild_index
from gazette.web import urls

RESULTS = ROOT / "bench" / "results" / "serve.json"
MIX = {"phrase": 40, "docno": 20, "facet": 20, "document": 20}  # per 100 requests


def make_archive(folder: Path, count: int) -> tuple[Archive, list[Any]]:
    archive = Archive.create(folder)
    docs = [replace(doc, disclosure="主动公开") for doc in articles(count)]
    with archive.locked():
        for doc in docs:
            archive.put_document(doc)
    archive.flush()
    return archive, docs


def request_mix(docs: list[Any], seed: int = 7, size: int = 2000) -> list[tuple[str, str]]:
    """(kind, path) of the requests, in a fixed order."""
    rng = random.Random(seed)
    numbered = [doc for doc in docs if doc.doc_number]
    years = sorted({doc.date_written[:4] for doc in docs if doc.date_written})
    kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]
    mix = []
    for _ in range(size):
        kind = rng.choice(kinds)
        doc = rng.choice(docs)
        if kind == "phrase":
            text = stream(doc.text)
            start = rng.randrange(max(1, len(text) - 6))
            params = {"q": f'"{text[start : start + rng.randint(3, 6)]}"'}
        elif kind == "docno" and numbered:
            params = {"q": rng.choice(numbered).doc_number}
        elif kind == "facet":
            word = stream(doc.title)[:2]
            params = {"q": word, "from": rng.choice(years), "to": rng.choice(years)}
            if params["from"] > params["to"]:
                params["from"], params["to"] = params["to"], params["from"]
        else:
            mix.append(("document", urls.url_path(urls.document_page(doc.id))))
            continue
        mix.append((kind, "/search/?" + urlencode(params, quote_via=quote)))
    return mix


# -- the load -------------------------------------------------------------------------------


async def _get(port: int, path: str) -> tuple[int, float]:
    """One HTTP/1.1 GET on a fresh connection (as a browser's first request): status and seconds."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readline()
        await reader.read()  # the rest, to the close
    finally:
        writer.close()
    status = int(head.split()[1]) if head else 0
    return status, time.perf_counter() - start


async def open_loop(port: int, paths: list[str], rate: float, seconds: float) -> dict[str, Any]:
    total = int(rate * seconds)
    begin = time.perf_counter() + 0.1
    latencies: list[float] = []
    failures: list[str] = []

    async def one(number: int) -> None:
        scheduled = begin + number / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        path = paths[number % len(paths)]
        try:
            status, _ = await _get(port, path)
        except OSError as error:
            failures.append(f"{path}: {error}")
            return
        latencies.append(time.perf_counter() - scheduled)  # from the scheduled start: no coordinated omission
        if status != 200:
            failures.append(f"{path}: {status}")

    await asyncio.gather(*(one(n) for n in range(total)))
    return {"requests": total, "rate": rate, "seconds": seconds, "failures": failures, **_percentiles(latencies)}


async def closed_loop(port: int, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    end = time.perf_counter() + seconds
    done = 0
    failures: list[str] = []
    counter = iter(range(10**9))

    async def client() -> None:
        nonlocal done
        while time.perf_counter() < end:
            path = paths[next(counter) % len(paths)]
            try:
                status, _ = await _get(port, path)
            except OSError as error:
                failures.append(f"{path}: {error}")
                continue
            done += 1
            if status != 200:
                failures.append(f"{path}: {status}")

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": done,
        "per_second": round(done / elapsed, 1),
        "failures": failures,
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    ordered = sorted(values)

    def pct(p: int) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000, 2)

    return {"p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99)}


# -- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(archive: Path, backend: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "from gazette.web.serve import serve; import sys; "
                f"serve(sys.argv[1], port={port}, workers={workers}, backend={backend!r}, access_log=False)"
            ),
            str(archive),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        env=env,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b" 200 " in sock.recv(64):
                    return server, port
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start; see {log}")
        time.sleep(0.2)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


def run(args: argparse.Namespace) -> dict[str, Any]:
    info = machine()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        archive, docs = make_archive(folder / "archive", args.docs)
        print(f"archive of {len(docs)} documents in {time.perf_counter() - started:.1f} s", flush=True)
        mix = request_mix(docs)
        paths = [path for _, path in mix]
        for backend in args.backends:
            rebuild_index(archive, backend)
            load = os.getloadavg()[0]  # other processes on these cores slow every number
            server, port = start_server(archive.root, backend, args.workers, folder / f"{backend}.log")
            try:
                asyncio.run(closed_loop(port, paths[:200], min(args.clients, 10), min(2.0, args.seconds)))  # warm-up
                opened = asyncio.run(open_loop(port, paths, args.rate, args.seconds))
                closed = asyncio.run(closed_loop(port, paths, args.clients, args.seconds))
                peer = asyncio.run(closed_loop(port, ["/" + urls.STYLESHEET], args.clients, min(args.seconds, 10)))
            finally:
                stop_server(server)
            row = {
                "backend": backend,
                "documents": len(docs),
                "workers": args.workers,
                "load_average_before": round(load, 2),
                "open_loop": opened,
                "closed_loop": closed,
                "peer_static_file": peer,
                "closed_loop_vs_static": round(closed["per_second"] / max(peer["per_second"], 1e-9), 3),
            }
            rows.append(row)
            print(
                f"{backend:8} open {args.rate:.0f}/s: p50 {opened['p50_ms']} ms, p95 {opened['p95_ms']} ms, "
                f"p99 {opened['p99_ms']} ms, {len(opened['failures'])} failed; closed {args.clients} clients: "
                f"{closed['per_second']}/s ({len(closed['failures'])} failed); static file {peer['per_second']}/s "
                f"(ratio {row['closed_loop_vs_static']})",
                flush=True,
            )
    return {"machine": info, "machine_text": describe(info), "mix": MIX, "rows": rows}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backends", nargs="+", default=["whoosh", "tantivy"])
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes ('-': nowhere)")
    args = parser.parse_args(argv)
    print(describe(machine()), flush=True)
    result = run(args)
    if str(args.out) != "-":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    failed = sum(len(row[loop]["failures"]) for row in result["rows"] for loop in ("open_loop", "closed_loop"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
