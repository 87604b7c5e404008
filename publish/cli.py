"""The command line's publish and verify steps (`gazette publish`, `gazette verify PDF...`),
kept here so `gazette.cli` stays a thin front door that imports `publish` lazily."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from rich.console import Console

from gazette.archive import Archive
from gazette.exceptions import BadInputError, ExitCode
from publish.manifest import read_manifest
from publish.run import SignOptions, publish_issue
from publish.signing import parse_signing_time, read_trust, verify_pdf


def run_publish(
    manifest: Path,
    out_dir: Path,
    archive_root: Path,
    sign: Path | None,
    password_env: str | None,
    signing_time: str | None,
    seal: Path | None,
    as_json: bool,
    out: Console,
) -> None:
    options = None
    if sign is not None:
        password = None
        if password_env:
            if password_env not in os.environ:
                raise BadInputError(f"--password-env {password_env}: that environment variable is not set")
            password = os.environ[password_env].encode("utf-8")
        moment = parse_signing_time(signing_time) if signing_time else None
        options = SignOptions(sign, password, moment)
    elif signing_time or password_env:
        raise BadInputError("--signing-time and --password-env go with --sign")
    seal_png = None
    if seal is not None:
        try:
            seal_png = seal.read_bytes()
        except OSError as error:
            raise BadInputError(f"cannot read the seal image: {error.strerror}", path=str(seal)) from None
    read_manifest(manifest)  # a bad issue file is refused before an archive is made for it
    archive = Archive.create(archive_root)
    result = publish_issue(manifest, out_dir, archive, sign=options, seal=seal_png)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "issue": result.issue.id,
                    "out": str(out_dir),
                    "files": result.files,
                    "new_documents": list(result.new_documents),
                    "fonts": result.font_note,
                    "pages": {entry.document_id: entry.page for entry in result.issue.entries},
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    documents = [name for name in result.files if name.startswith("documents/")]
    out.print(
        f"{result.issue.name} {result.issue.year}年第{result.issue.number}期: "
        f"{len(documents)} documents, {'signed' if options else 'not signed'}",
        markup=False,
    )
    out.print(f"  {out_dir / 'issue.pdf'}", markup=False)
    for name in documents:
        out.print(f"  {out_dir / name}", markup=False)
    out.print(f"  {out_dir / 'SHA256SUMS'}", markup=False)
    if result.new_documents:
        out.print(f"stored in {archive.root}: {'、'.join(result.new_documents)}", markup=False)
    if result.font_note:
        out.print(f"note: {result.font_note} (configure [fonts] in the issue file)", markup=False)


def verify_pdfs(paths: list[Path], trust: list[Path], as_json: bool, out: Console, err: Console) -> int:
    """Check each PDF's signature; 0 when every one is intact, covers its file (and is trusted when asked), else 5."""
    anchors = read_trust(trust) if trust else None
    verdicts = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise BadInputError(f"cannot read: {error.strerror}", path=str(path)) from None
        if not data.lstrip()[:5] == b"%PDF-":
            raise BadInputError("is not a PDF", path=str(path))
        verdicts.append(verify_pdf(data, str(path), anchors))
    if as_json:
        sys.stdout.write(json.dumps([asdict(v) | {"ok": v.ok} for v in verdicts], ensure_ascii=False, indent=2) + "\n")
    else:
        for v in verdicts:
            if v.ok:
                trusted = "" if v.trusted is None else ", signer trusted"
                out.print(
                    f"{v.path}: ok: signed by {v.signer} at {v.signing_time}; the signature covers the "
                    f"whole file, nothing changed after signing{trusted}",
                    markup=False,
                )
            else:
                who = f" (signed by {v.signer} at {v.signing_time})" if v.signer else ""
                err.print(f"gazette verify: {v.path}: {'; '.join(v.problems)}{who}", markup=False)
    return ExitCode.ok if all(v.ok for v in verdicts) else ExitCode.damaged
