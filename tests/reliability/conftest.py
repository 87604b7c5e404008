"""Shared helpers of the reliability tests: the command run as a separate process, as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gazette(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`gazette ARGS` in a process of its own, from the checkout under test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gazette", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_gazette(*args: str) -> subprocess.Popen[str]:
    """`gazette ARGS` started in the background (its own session, so a test can kill it alone)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "gazette", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
