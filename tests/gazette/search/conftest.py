"""Shared fixtures of the search tests: the 20 real documents and, per backend, an index of them."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from gazette.model import Block, Document
from gazette.search import SearchBackend, get_backend
from samples.corpus import iter_corpus_documents

BACKENDS = ("whoosh", "tantivy")


def synthetic(doc_id: str, title: str, body: str, **fields: object) -> Document:
    """A small document for what the real ones do not show (contiguity, private, width)."""
    values: dict[str, object] = {
        "issuer": ("测试机关",),
        "doc_type": "通知",
        "date_written": "2001-01-01",
        "disclosure": "主动公开",
    }
    return Document(id=doc_id, title=title, body=(Block("paragraph", body),), **(values | fields))  # type: ignore[arg-type]


# Ranking and folding cases, and one document that must never be indexed.
EXTRA = (
    synthetic("contiguous", "关于推进工作的通知", "各地要推进数字政府建设，提升服务水平。"),
    synthetic(
        "in-parts", "关于落实工作的通知", "推进数字政策落实。加强政府建设，完善制度。", date_written="2001-02-01"
    ),
    synthetic("title-match", "关于海绵城市试点的通知", "各地要认真组织，按期完成。", date_written="2001-03-01"),
    synthetic(
        "body-match",
        "关于城市管理的通知",
        "城市管理工作要统筹推进。" * 10 + "其中海绵城市试点要按期完成。" + "各地要认真组织。" * 10,
        date_written="2001-04-01",
    ),
    synthetic(
        "full-width",
        "关于ＷＴＯ规则的通知",
        "按照ＷＴＯ规则第１２３条办理，（２０２０）年完成。",
        date_written="2001-05-01",
    ),
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
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, all_docs: tuple[Document, ...]
) -> SearchBackend:
    """A read-only index of the corpus and the extra documents (tests must not write to it)."""
    backend = get_backend(request.param, tmp_path_factory.mktemp("index") / request.param)
    backend.rebuild(all_docs)
    return backend


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> SearchBackend:
    """An empty index to write to."""
    return get_backend(request.param, tmp_path / request.param)


def varied(corpus: tuple[Document, ...], count: int, seed: int) -> list[Document]:
    """`count` documents cut from the real ones: a window of a body, a title, one or two
    issuers, a type, a date (or none) and now and then a real 文号, drawn reproducibly.
    Common bigrams then have postings in many documents (many posting blocks)."""
    rng = random.Random(seed)
    issuers = ("国务院", "国务院办公厅", "广东省人民政府", "测试机关")
    numbered = [doc.doc_number for doc in corpus if doc.doc_number]
    docs = []
    for n in range(count):
        source = rng.choice(corpus)
        text = source.text
        size = rng.randint(30, 400)
        start = rng.randrange(max(1, len(text) - size))
        docs.append(
            Document(
                id=f"varied-{n}",
                title=rng.choice(corpus).title,
                body=(Block("paragraph", text[start : start + size]),),
                issuer=tuple(rng.sample(issuers, 2 if rng.random() < 0.2 else 1)),
                doc_type=rng.choice(("通知", "意见", "批复", "函", None)),
                date_written=None
                if rng.random() < 0.05
                else f"{rng.randint(1996, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                doc_number=rng.choice(numbered) if rng.random() < 0.02 else None,
                disclosure="主动公开",
            )
        )
    return docs


def segmented_whoosh(index_dir: Path, docs: list[Document], segments: int, deleted: int) -> SearchBackend:
    """A Whoosh index of `docs` in `segments` segments (one commit each, never merged), then
    `deleted` of them deleted (every so many): what a grown archive's index looks like."""
    from whoosh.index import open_dir

    from gazette.search.backend import record_for
    from gazette.search.whoosh_backend import _fields

    backend = get_backend("whoosh", index_dir)
    backend.update([])  # an empty index and its marker
    index = open_dir(str(index_dir))
    size = -(-len(docs) // segments)
    for start in range(0, len(docs), size):
        writer = index.writer()
        for doc in docs[start : start + size]:
            writer.add_document(**_fields(record_for(doc)))
        writer.commit(merge=False)
    writer = index.writer()
    for doc in docs[:: max(1, len(docs) // deleted)][:deleted]:
        writer.delete_by_term("id", doc.id)
    writer.commit(merge=False)
    return backend


@pytest.fixture(scope="session")
def segmented(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[Document, ...]) -> SearchBackend:
    """600 documents in 3 Whoosh segments, 20 of them deleted (read-only)."""
    return segmented_whoosh(tmp_path_factory.mktemp("segmented") / "whoosh", varied(corpus, 600, seed=1), 3, 20)
