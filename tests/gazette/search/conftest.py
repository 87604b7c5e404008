"""Shared fixtures of the search tests: the 20 real documents and, per backend, an index of them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gazette.model import Block, Document
from gazette.search import SearchBackend, get_backend
from samples.corpus import iter_corpus_documents

BACKENDS = ("whoosh", "tantivy")


def synthetic(doc_id: str, title: str, body: str, **fields: object) -> Document:
    """A small document for what the real ones do not show (contiguity, private, width)."""
    values: dict[str, object] = {"issuer": ("测试机关",), "doc_type": "通知", "date_written": "2001-01-01", "disclosure": "主动公开"}
    return Document(id=doc_id, title=title, body=(Block("paragraph", body),), **(values | fields))  # type: ignore[arg-type]


# Ranking and folding cases, and one document that must never be indexed.
EXTRA = (
    synthetic("contiguous", "关于推进工作的通知", "各地要推进数字政府建设，提升服务水平。"),
    synthetic("in-parts", "关于落实工作的通知", "推进数字政策落实。加强政府建设，完善制度。", date_written="2001-02-01"),
    synthetic("title-match", "关于海绵城市试点的通知", "各地要认真组织，按期完成。", date_written="2001-03-01"),
    synthetic(
        "body-match",
        "关于城市管理的通知",
        "城市管理工作要统筹推进。" * 10 + "其中海绵城市试点要按期完成。" + "各地要认真组织。" * 10,
        date_written="2001-04-01",
    ),
    synthetic("full-width", "关于ＷＴＯ规则的通知", "按照ＷＴＯ规则第１２３条办理，（２０２０）年完成。", date_written="2001-05-01"),
    dataclasses.replace(
        synthetic("private", "关于保密事项的通知", "本件内容涉及绝密的鹦鹉螺计划安排。", date_written="2001-06-01"),
        disclosure="不予公开",
    ),
)


@pytest.fixture(scope="session")
def corpus() -> tuple[Document, ...]:
    return tuple(iter_corpus_documents())


@pytest.fixture(scope="session")
def all_docs(corpus: tuple[Document, ...]) -> tuple[Document, ...]:
    return corpus + EXTRA


@pytest.fixture(scope="session", params=BACKENDS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, all_docs: tuple[Document, ...]) -> SearchBackend:
    """A read-only index of the corpus and the extra documents (tests must not write to it)."""
    backend = get_backend(request.param, tmp_path_factory.mktemp("index") / request.param)
    backend.rebuild(all_docs)
    return backend


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> SearchBackend:
    """An empty index to write to."""
    return get_backend(request.param, tmp_path / request.param)
