from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from publish.signing import create_signer, load_signer, sign_pdf, verify_pdf

WHEN = dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def signer_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return create_signer(tmp_path_factory.mktemp("keys"), "广东省人民政府办公厅")


@pytest.fixture(scope="module")
def signed(published: Path, signer_files: tuple[Path, Path]) -> bytes:
    data = (published / "documents" / "粤办函〔2016〕629号.pdf").read_bytes()
    return sign_pdf(data, load_signer(signer_files[0], None), WHEN)


def test_a_signed_pdf_verifies_and_is_trusted(signed: bytes, signer_files: tuple[Path, Path]) -> None:
    verdict = verify_pdf(signed, "x.pdf", [signer_files[1].read_bytes()])
    assert verdict.ok and verdict.intact and verdict.covers_whole_file and verdict.trusted
    assert "广东省人民政府办公厅" in verdict.signer and verdict.signing_time == "2026-06-30T10:00:00+08:00"
    assert verify_pdf(signed, "x.pdf").ok  # without --trust: intact is enough


def test_signing_with_a_fixed_time_is_reproducible(
    published: Path, signer_files: tuple[Path, Path], signed: bytes
) -> None:
    data = (published / "documents" / "粤办函〔2016〕629号.pdf").read_bytes()
    assert sign_pdf(data, load_signer(signer_files[0], None), WHEN) == signed
    assert signed.startswith(data)  # an incremental update after the PDF/A file


def test_a_flipped_byte_fails(signed: bytes) -> None:
    damaged = bytearray(signed)
    damaged[len(damaged) // 3] ^= 0x01
    verdict = verify_pdf(bytes(damaged), "x.pdf")
    assert not verdict.ok and any("changed" in problem or "readable" in problem for problem in verdict.problems)


def test_an_update_changing_a_page_fails(signed: bytes) -> None:
    """An incremental update appended after the signature that adds drawing to page 1."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page_obj = page_ref.get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 100 100 50 50 re f"))
    contents = page_obj["/Contents"]
    page_obj["/Contents"] = generic.ArrayObject(
        [*(contents if isinstance(contents, generic.ArrayObject) else [contents]), extra]
    )
    writer.update_container(page_obj)
    updated = io.BytesIO()
    writer.write(updated)
    incremental = updated.getvalue()
    assert incremental.startswith(signed)
    verdict = verify_pdf(incremental, "x.pdf")
    assert verdict.intact and not verdict.ok
    assert verdict.changed_after_signing and any("changed after signing" in p for p in verdict.problems)


def test_an_untrusted_signer_fails_with_trust(signed: bytes, tmp_path: Path) -> None:
    _, other = create_signer(tmp_path, "另一个机关")
    verdict = verify_pdf(signed, "x.pdf", [other.read_bytes()])
    assert verdict.intact and verdict.trusted is False and not verdict.ok


def test_an_unsigned_pdf_and_garbage(published: Path) -> None:
    assert verify_pdf((published / "issue.pdf").read_bytes(), "issue.pdf").problems == ("no signature",)
    assert not verify_pdf(b"garbage", "g.pdf").ok


def test_a_wrong_password_is_one_line(signer_files: tuple[Path, Path]) -> None:
    from gazette.exceptions import BadInputError

    with pytest.raises(BadInputError, match="cannot open the signer"):
        load_signer(signer_files[0], b"wrong")


def test_signing_works_from_inside_a_running_event_loop(
    published: Path, signer_files: tuple[Path, Path], signed: bytes
) -> None:
    """A caller already running an event loop (a server, a notebook, Playwright's sync API)
    can still sign: pyHanko's coroutine then runs in a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    data = (published / "documents" / "粤办函〔2016〕629号.pdf").read_bytes()

    async def inside() -> bytes:
        return sign_pdf(data, load_signer(signer_files[0], None), WHEN)

    # A thread of the test's own, so that its loop is the only one in it (Playwright may run one here).
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(asyncio.run, inside()).result() == signed
