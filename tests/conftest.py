"""Inputs every test folder shares: real corpus files."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.corpus import corpus_file


@pytest.fixture(scope="session")
def pdf397() -> Path:
    """A real born-digital red-header document, two issuers, five pages."""
    return corpus_file("govdoc397/397.pdf")


@pytest.fixture(scope="session")
def guangdong() -> Path:
    """A real document saved from a government site, with its disclosure-metadata header."""
    return corpus_file("000_20060089da20eb48.txt")
