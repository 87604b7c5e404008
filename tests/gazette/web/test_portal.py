"""The portal (`gazette serve`) through Starlette's test client: pages of the edition, search,
its feed and JSON, the API, and its safety: traversal, hidden documents, bad and hostile
queries, a read-only archive."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from starlette.testclient import TestClient

from gazette.archive import Archive
from gazette.edits import withdraw
from gazette.search.service import index_documents, rebuild_index
from gazette.web import urls
from gazette.web.portal import CSP, create_app
from tests.gazette.conftest import make_document
from tests.gazette.web.conftest import NOT_PUBLIC, ON_REQUEST, OWN_SOURCE, SCRIPT_TITLE, make_site_archive

WITHDRAWN = "国办函〔2004〕57号"
WITHDRAWN_TITLE = "国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函"
HIDDEN_TITLES = (ON_REQUEST.title, NOT_PUBLIC.title, WITHDRAWN_TITLE)
HIDDEN_IDS = (ON_REQUEST.id, NOT_PUBLIC.id, WITHDRAWN)


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` with its size and mtime: what a read-only server must leave as it was."""
    found = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            stat = path.lstat()
            found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Archive]]:
    archive = make_site_archive(tmp_path_factory.mktemp("portal") / "archive")
    rebuild_index(archive, request.param)
    withdraw(archive, WITHDRAWN, reason="误发", by="test")  # through the review workflow: out of the index too
    before = listing(archive.root)
    app = create_app(archive.root, backend=request.param)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, archive
    assert listing(archive.root) == before  # the server wrote nothing into the archive


@pytest.fixture
def client(served: tuple[TestClient, Archive]) -> TestClient:
    return served[0]


def hidden_mentions(text: str) -> list[str]:
    return [value for value in (*HIDDEN_TITLES, *HIDDEN_IDS) if value in text]


def test_every_page_of_the_edition_is_served_with_its_twin(client: TestClient) -> None:
    for path in (
        "/",
        "/catalogue/",
        "/data/",
        urls.url_path(urls.document_page("国发〔2019〕3号")),
        urls.url_path(urls.issue_page("测试公报-2020-2")),
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CSP
        assert "<script>" not in page.text and "onclick" not in page.text  # no inline script
        assert 'role="search"' in page.text  # the portal's search box
        twin = client.get(path + "index.json")
        assert twin.status_code == 200 and twin.headers["access-control-allow-origin"] == "*"
    assert client.get(urls.url_path(urls.document_page("国发〔2019〕3号")) + "index.html").status_code == 200
    assert client.get("/feeds/all.xml").status_code == 200
    for asset in ("/static/site.css", "/static/portal.css"):
        assert client.get(asset).headers["content-type"].startswith("text/css")
    assert client.get("/static/portal.js").headers["content-type"].startswith("text/javascript")


def test_the_document_page_links_its_pdf_xml_and_page_images(client: TestClient) -> None:
    page = client.get(urls.url_path(urls.document_page("国发〔2019〕3号")))
    pdf = urls.url_path(urls.document_pdf("政府公报样刊-2019-1", "国发〔2019〕3号"))
    assert (
        urls.href(urls.document_page("国发〔2019〕3号"), urls.document_pdf("政府公报样刊-2019-1", "国发〔2019〕3号"))
        in page.text
    )
    response = client.get(pdf)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(urls.url_path(urls.document_akn("国发〔2019〕3号"))).content.startswith(b"<?xml")
    image = client.get(urls.url_path(urls.page_image(OWN_SOURCE, 1)))
    assert image.status_code == 200 and image.content == b"png page of its own"


def test_search_highlights_facets_narrow_and_state_is_in_the_url(client: TestClient) -> None:
    page = client.get("/search/", params={"q": "阳光政务"})
    assert page.status_code == 200
    assert "<mark>阳光政务</mark>" in page.text
    assert 'value="阳光政务"' in page.text
    year_link = re.search(
        r'href="([^"]*from=(\d{4})&amp;to=\2[^"]*)"', client.get("/search/", params={"q": "通知"}).text
    )
    assert year_link is not None
    narrowed = client.get(year_link.group(1).replace("&amp;", "&"))
    year = year_link.group(2)
    assert narrowed.status_code == 200
    data = client.get("/api/search", params={"q": "通知", "from": year, "to": year}).json()
    assert data["total"] >= 1 and all(hit["date_written"].startswith(year) for hit in data["hits"])
    assert set(data) >= {"total", "hits", "facets"} and data["facets"]["year"] == {year: data["total"]}


def test_a_doc_number_in_any_printed_form_and_sorting(client: TestClient) -> None:
    for printed in ("粤办函〔2016〕629号", "粤办函[2016]629号", "粤办函（2016）629 号"):
        hits = client.get("/api/search", params={"q": printed}).json()["hits"]
        assert hits[0]["id"] == "粤办函〔2016〕629号"
    dates = [
        h["date_written"] for h in client.get("/api/search", params={"q": "国务院", "sort": "-date"}).json()["hits"]
    ]
    assert dates == sorted(dates, reverse=True)


def test_nothing_matches_gives_a_friendly_page_with_the_closest_issuers(client: TestClient) -> None:
    page = client.get("/search/", params={"q": "阳光", "issuer": "广东省政府办公室"})
    assert page.status_code == 200
    assert "没有找到相符的文件" in page.text
    assert "广东省人民政府办公厅" in page.text
    assert "去掉发布机构" in page.text


def test_hidden_documents_are_absent_everywhere(client: TestClient) -> None:
    for doc_id in HIDDEN_IDS:
        for path in (
            urls.url_path(urls.document_page(doc_id)),
            urls.url_path(urls.twin(urls.document_page(doc_id))),
            urls.url_path(urls.document_akn(doc_id)),
            "/api/documents/" + doc_id,
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert hidden_mentions(response.text) == [], path
    for title in HIDDEN_TITLES:  # (the search page shows the query typed: it names nothing else)
        query = {"q": f'"{title}"'}
        assert client.get("/api/search", params=query).json()["total"] == 0
        assert feedparser.parse(client.get("/search/feed.xml", params=query).content).entries == []
        page = client.get("/search/", params=query).text
        assert "没有找到相符的文件" in page and hidden_mentions(page.replace(title, "")) == []
    everything = client.get("/api/search", params={"q": "测试"}).json()
    assert "测试保密局" not in everything["facets"].get("issuer", {})
    for path in ("/", "/feeds/all.xml", "/catalogue/", "/sitemap.xml", "/data/documents.jsonl", "/search/"):
        assert hidden_mentions(client.get(path).text) == [], path
    # the 不予公开 document's page of the shared original is not served either
    assert client.get(urls.url_path(urls.page_image(NOT_PUBLIC.source.sha256, 2))).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/static/..%2f..%2f..%2fmanifest-sha256.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/data/documents/国发〔2019〕3号.xml",
        "/manifest-sha256.txt",
        "/bagit.txt",
        "/.gazette/journal",
        "/index/whoosh/gazette-index.json",
        "/gazette.toml",
        "/static/%5c..%5c..%5cbagit.txt",
        "/documents/%00/",
    ],
)
def test_no_file_outside_the_published_ones_is_reachable(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "BagIt" not in response.text and "Traceback" not in response.text


def test_a_symlink_inside_the_archive_does_not_lead_outside(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    rebuild_index(archive)
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the archive")
    image = archive.root / "data" / "pages" / OWN_SOURCE / "0001.png"
    image.unlink()
    image.symlink_to(secret)
    with TestClient(create_app(archive.root), raise_server_exceptions=False) as client:
        response = client.get(urls.url_path(urls.page_image(OWN_SOURCE, 1)))
    assert response.status_code == 404 and "outside the archive" not in response.text


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "a" * 10000}, 400),  # a 10,000-character query (in Chinese: `test_the_command` on a real server)
        ({"q": "阳光" * 2000}, 400),
        ({"q": '"阳光'}, 400),
        ({"q": "title:国务院"}, 400),
        ({"q": "年份:2019..2016"}, 400),
        ({"q": "通知", "page": "x"}, 400),
        ({"q": "通知", "page": "0"}, 400),
        ({"q": "通知", "page": "999"}, 404),
        ({"q": "通知", "sort": "nonsense"}, 400),
        ({"q": "通知", "from": "2019-13"}, 400),
    ],
)
def test_bad_queries_get_a_friendly_page_and_status(client: TestClient, params: dict[str, str], status: int) -> None:
    page = client.get("/search/", params=params)
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert "Traceback" not in page.text and "<h1>" in page.text
    api = client.get("/api/search", params=params)
    assert api.status_code == status and "message" in api.json()["error"]


def test_a_query_with_markup_is_escaped(client: TestClient) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for path in ("/search/", "/search/feed.xml", "/api/search", "/search/index.json"):
        response = client.get(path, params={"q": hostile, "issuer": hostile[:90]})
        assert response.status_code in (200, 400)
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        if "json" in response.headers["content-type"]:
            assert "<" not in response.text  # written \u003c
    # a document whose title holds markup is found and shown escaped
    page = client.get("/search/", params={"q": "引号"})
    assert SCRIPT_TITLE not in page.text and "&lt;script&gt;" in page.text


def test_unknown_ids_and_methods(client: TestClient) -> None:
    assert client.get("/documents/no-such-id/").status_code == 404
    assert client.get("/api/documents/no-such-id").json()["error"]["status"] == 404
    assert client.get("/api/issues/no-such-issue").status_code == 404
    assert client.get("/api/issues/测试公报-2020-2").json()["id"] == "测试公报-2020-2"
    assert client.post("/search/", content=b"x" * 100).status_code == 405
    assert client.request("GET", "/", content=b"x" * 10).status_code == 413
    preflight = client.options(
        "/api/search", headers={"origin": "https://example.org", "access-control-request-method": "GET"}
    )
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert client.get("/api/search?" + "q=" + "a" * 5000).status_code == 400


def test_openapi_and_health(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.") and {"/api/search", "/api/documents/{id}", "/api/issues/{id}"} <= set(
        spec["paths"]
    )
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["search"]["index"] == "ok"


def test_a_bug_is_a_friendly_500_and_a_logged_traceback(
    served: tuple[TestClient, Archive], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = served

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("gazette.web.portal.run_search", broken)
    page = client.get("/search/", params={"q": "通知"})
    assert page.status_code == 500 and "a bug" not in page.text and "Traceback" not in page.text
    assert any("a bug" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_without_an_index_the_portal_says_to_run_gazette_index(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    shutil.rmtree(archive.root / "index", ignore_errors=True)
    before = listing(archive.root)
    with TestClient(create_app(archive.root)) as client:
        assert client.get("/healthz").json()["search"]["index"] == "missing"
        page = client.get("/search/", params={"q": "通知"})
        assert page.status_code == 503 and "gazette index" in page.text
        assert client.get("/").status_code == 200
    assert listing(archive.root) == before  # no index was built


def test_a_new_document_reaches_a_subscribed_feed_without_a_restart(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    rebuild_index(archive)
    with TestClient(create_app(archive.root)) as client:
        feed_url = re.search(r'href="([^"]+feed\.xml[^"]*)"', client.get("/search/", params={"q": "阳光政务"}).text)
        assert feed_url is not None
        before = feedparser.parse(client.get(feed_url.group(1).replace("&amp;", "&")).content)
        assert not before.bozo and before.entries
        new = make_document(
            id="粤办函〔2026〕1号",
            doc_number="粤办函〔2026〕1号",
            doc_number_printed=None,
            title="广东省人民政府办公厅关于深化阳光政务建设的通知",
            date_written="2026-01-05",
            date_published="2026-01-06",
            gazette=None,
            source=None,
            pages=(),
        )
        stored = Archive.open_existing(archive.root)  # as `gazette ingest` would, in another process
        stored.put_document(new)
        stored.flush()
        index_documents(stored, [new])
        after = feedparser.parse(client.get(feed_url.group(1).replace("&amp;", "&")).content)
        assert not after.bozo
        assert after.entries[0].title == new.title
        assert after.entries[0].link.endswith(urls.url_path(urls.document_page(new.id)))
        assert len(after.entries) == len(before.entries) + 1
        assert client.get(urls.url_path(urls.document_page(new.id))).status_code == 200


def test_the_server_starts_on_a_read_only_archive(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    rebuild_index(archive, "tantivy")
    os.system(f"chmod -R a-w '{archive.root}'")
    try:
        before = listing(archive.root)
        with TestClient(create_app(archive.root, backend="tantivy")) as client:
            assert client.get("/search/", params={"q": "通知"}).status_code == 200
            assert client.get("/").status_code == 200
        assert listing(archive.root) == before
    finally:
        os.system(f"chmod -R u+w '{archive.root}'")


def test_search_json_is_the_shape_of_gazette_search_json(served: tuple[TestClient, Archive]) -> None:
    from gazette.search.service import search

    client, archive = served
    expected = search(archive, "国务院", backend=client.app.state.portal.backend, limit=10).to_json()
    got = client.get("/api/search", params={"q": "国务院"}).json()
    shown = [hit["id"] for hit in expected["hits"] if hit["id"] not in HIDDEN_IDS]
    assert [hit["id"] for hit in got["hits"]][: len(shown)] == shown[: len(got["hits"])]
    assert {key: got["hits"][0][key] for key in expected["hits"][0]} == expected["hits"][0] | {
        "score": got["hits"][0]["score"]
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """A GET of ``target`` exactly as written (no client normalises ``/../``)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_command_serves_logs_to_stderr_and_stops_gracefully(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time
    from urllib.parse import quote

    archive = make_site_archive(tmp_path / "archive")
    rebuild_index(archive)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])}
    log = (tmp_path / "stderr").open("wb")  # (a pipe nobody reads would fill up with the access log)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gazette",
            "serve",
            "--archive",
            str(archive.root),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if raw_get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)
        status, body = raw_get(port, "/search/?q=" + quote("阳光政务"))
        assert status == 200 and "<mark>阳光政务</mark>".encode() in body
        for target in (
            "/../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%252e%252e/etc/passwd",
            "/static/../../bagit.txt",
            "/" + quote(str(archive.root / "bagit.txt")),
        ):
            status, body = raw_get(port, target)
            assert status in (400, 404), target
            assert b"root:" not in body and b"BagIt-Version" not in body
        status, body = raw_get(port, "/search/?q=" + quote("阳光" * 5000))  # 10,000 characters
        assert status in (400, 414, 431) and b"Traceback" not in body
        status, _ = raw_get(port, "/search/?q=" + quote("阳光" * 500))  # 1,000: past the query limit
        assert status == 400
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
        log.close()
    err = (tmp_path / "stderr").read_bytes()
    assert server.returncode == 0
    assert out == b""
    assert b'"GET /search/?q=' in err and b"Traceback" not in err


def test_concurrent_searches_share_one_reader_and_keep_their_own_narrowing(
    served: tuple[TestClient, Archive],
) -> None:
    """Searches run in Starlette's threads over one reader: many at once, each with another
    gazette filter, query and sort, answer exactly what each answers alone, and none leaks a
    hidden document."""
    from concurrent.futures import ThreadPoolExecutor

    client, _ = served
    gazettes = ["", *re.findall(r'<option value="([^"]+)">', client.get("/search/").text.split('id="gazette"')[1])]
    gazettes = [g for g in gazettes if "</select>" not in g][:4]
    requests = [
        {"q": q, "gazette": g, "sort": s}
        for q in ("通知", "国务院", "阳光政务", "")
        for g in gazettes
        for s in ("", "-date")
    ]
    requests = [{k: v for k, v in r.items() if v} for r in requests]
    alone = [client.get("/api/search", params=r).json() for r in requests]
    assert any(a["total"] for a in alone)
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda r: client.get("/api/search", params=r).json(), requests * 4))
    assert together == alone * 4
    assert not any(hidden_mentions(str(answer)) for answer in together)


def test_searches_during_an_index_update_never_fail(tmp_path: Path) -> None:
    """A commit while searches run in other threads: each search answers from the old commit or
    the new one, never an error, and the next search sees the new document."""
    import threading

    archive = make_site_archive(tmp_path / "archive")
    rebuild_index(archive, "tantivy")
    app = create_app(archive.root, backend="tantivy")
    failures: list[str] = []
    stop = threading.Event()
    with TestClient(app, raise_server_exceptions=False) as client:

        def search() -> None:
            while not stop.is_set():
                answer = client.get("/api/search", params={"q": "通知"})
                if answer.status_code != 200:
                    failures.append(answer.text)

        threads = [threading.Thread(target=search) for _ in range(4)]
        for thread in threads:
            thread.start()
        stored = Archive.open_existing(archive.root)
        new = []
        for number in range(1, 4):
            doc = make_document(
                id=f"粤办函〔2026〕{number}号",
                doc_number=f"粤办函〔2026〕{number}号",
                doc_number_printed=None,
                title=f"关于并发检索第{number}次的通知",
                gazette=None,
                source=None,
                pages=(),
            )
            stored.put_document(doc)
            stored.flush()
            index_documents(stored, [doc])
            new.append(doc)
        stop.set()
        for thread in threads:
            thread.join()
        assert failures == []
        found = client.get("/api/search", params={"q": "并发检索"}).json()
        assert {hit["id"] for hit in found["hits"]} == {doc.id for doc in new}
