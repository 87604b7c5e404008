"""Signatures: a self-signed signer for tests and demos, PAdES B-B signing with pyHanko, and
verification that says what it found.

- `create_signer` writes ``signer.p12`` (RSA 2048 key and certificate, no password) and
  ``signer.pem`` (the certificate, to pass to ``gazette verify --trust``).
- `sign_pdf` adds a PAdES B-B signature (``ETSI.CAdES.detached``, SHA-256) as an
  incremental update covering the whole file, after the PDF/A step. RSA PKCS#1 v1.5
  signatures are deterministic, so with a given signing time (and the update's trailer
  ID derived from the file) the signed bytes are the same every run.
- `verify_pdf` reports the signer, the signing time, whether the signature covers the
  whole file, whether anything changed after signing, and whether the signer is trusted
  (when trust anchors are given).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import warnings
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gazette.exceptions import BadInputError
from gazette.fsutil import atomic_write

# pyHanko imports cryptography's DSA class, which cryptography deprecates: a warning about
# pyHanko, not about the file or the command, that would be a second line on stderr.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

FIELD = "Signature1"
# A demo signer is valid from 2000 (so a reproducible run may sign at an issue's past date) for 100 years.
_VALID_FROM = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_VALID_YEARS = 100


@dataclass(frozen=True)
class Verdict:
    """What `verify_pdf` found in one file."""

    path: str
    signed: bool
    signer: str = ""
    signing_time: str = ""
    intact: bool = False
    covers_whole_file: bool = False
    changed_after_signing: bool = False
    trusted: bool | None = None  # None: no trust anchors were given
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return (
            self.signed
            and self.intact
            and self.covers_whole_file
            and not self.changed_after_signing
            and (self.trusted is not False)
        )


def create_signer(out_dir: Path, name: str) -> tuple[Path, Path]:
    """``out_dir/signer.p12`` and ``out_dir/signer.pem``: a self-signed RSA signer named ``name``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    if not name.strip():
        raise BadInputError("--name must name the signing organisation")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    until = _VALID_FROM.replace(year=_VALID_FROM.year + _VALID_YEARS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_VALID_FROM)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    p12 = pkcs12.serialize_key_and_certificates(name.encode("utf-8"), key, cert, None, serialization.NoEncryption())
    p12_path, pem_path = out_dir / "signer.p12", out_dir / "signer.pem"
    atomic_write(p12_path, p12)
    atomic_write(pem_path, cert.public_bytes(serialization.Encoding.PEM))
    return p12_path, pem_path


def load_signer(p12: Path, password: bytes | None):  # -> pyhanko SimpleSigner
    from pyhanko.sign import signers

    if not p12.is_file():
        raise BadInputError("no such signer file", path=str(p12))
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password)
    except (ValueError, TypeError) as error:
        raise BadInputError(f"cannot open the signer (wrong password?): {error}", path=str(p12)) from None
    if signer is None:
        raise BadInputError("cannot open the signer (wrong password, or not a PKCS#12 file)", path=str(p12))
    return signer


_Result = TypeVar("_Result")


def sign_pdf(data: bytes, signer, signing_time: dt.datetime | None = None) -> bytes:
    """``data`` with a PAdES B-B signature appended; ``signing_time`` fixed for a reproducible run."""
    return _run(_sign(data, signer, signing_time))


def _run(coroutine: Coroutine[Any, Any, _Result]) -> _Result:
    """Run pyHanko's coroutine to its end, also when the caller's thread already runs an event
    loop (a server, a notebook, Playwright's sync API): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _sign(data: bytes, signer, signing_time: dt.datetime | None) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    class KeepMetadata(IncrementalPdfFileWriter):
        """Leaves the information dictionary and XMP as the PDF/A step wrote them: pyHanko would
        stamp them with the clock (no longer the same bytes) and make them disagree (no longer PDF/A)."""

        def _update_meta(self) -> None:
            return None

    writer = KeepMetadata(io.BytesIO(data), strict=False)
    # The update's own id from the file and the time, not os.urandom: the same run, the same bytes.
    seed = hashlib.sha256(data + (signing_time.isoformat() if signing_time else "").encode()).digest()
    writer._document_id = generic.ArrayObject([writer._document_id[0], generic.ByteStringObject(seed[:16])])
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer)
    session = pdf_signer.init_signing_session(writer)
    if signing_time is not None:
        session.system_time = signing_time
    validation_info = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(validation_info, tight=False)
    tbs = session.prepare_tbs_document(validation_info=validation_info, bytes_reserved=reserved)
    buffer = io.BytesIO()  # readable and seekable, so pyhanko writes to it (and returns it as output)
    digest, output = tbs.digest_tbs_document(output=buffer)
    post = await tbs.perform_signature(
        document_digest=digest.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=session.system_time),
    )
    await post.post_signature_processing(output)
    return buffer.getvalue()


def verify_pdf(data: bytes, path: str = "", trust: list[bytes] | None = None) -> Verdict:
    """Check every signature in ``data``; the verdict of the last (the one that must cover the file)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        return Verdict(path, False, problems=(f"not a readable PDF: {error}",))
    if not signatures:
        return Verdict(path, False, problems=("no signature",))
    return _verdict(path, signatures[-1], trust)


def _verdict(path: str, embedded, trust: list[bytes] | None) -> Verdict:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    anchors = [asn1_x509.Certificate.load(_der(pem)) for pem in trust or []]
    context = ValidationContext(trust_roots=anchors, allow_fetching=False)
    problems: list[str] = []
    try:
        status = _run(async_validate_pdf_signature(embedded, context))
    except (SignatureValidationError, ValueError, KeyError) as error:
        return Verdict(path, True, problems=(f"the signature cannot be checked: {error}",))
    signer = embedded.signer_cert.subject.human_friendly if embedded.signer_cert else ""
    moment = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    changed = not whole
    if not intact:
        problems.append("the signed bytes were changed (the digest does not match)")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        level = status.modification_level.name.lower().replace("_", " ") if status.modification_level else "unknown"
        problems.append(f"the file was changed after signing (an update appended; modifications: {level})")
    trusted = None
    if trust is not None:
        trusted = bool(status.trusted)
        if not trusted:
            problems.append("the signer is not trusted by the given certificates")
    return Verdict(path, True, signer, moment, intact, whole, changed, trusted, tuple(problems))


def _der(pem: bytes) -> bytes:
    from asn1crypto import pem as asn1_pem

    if asn1_pem.detect(pem):
        _, _, der = asn1_pem.unarmor(pem)
        return der
    return pem


def read_trust(paths: list[Path]) -> list[bytes]:
    out = []
    for path in paths:
        try:
            out.append(path.read_bytes())
        except OSError as error:
            raise BadInputError(f"cannot read the certificate: {error.strerror}", path=str(path)) from None
    return out


def parse_signing_time(text: str) -> dt.datetime:
    """``2026-06-30T10:00:00+08:00`` (a date alone means midnight UTC+8)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadInputError(f"--signing-time {text!r} is not an ISO date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return moment
