"""The machine a benchmark ran on, recorded beside every result: speeds differ by CPU and
instruction set far more than by code (the same OCR ran 65 and 25 pages/min on two machines
of one kind), so results are compared as ratios to a peer measured in the same run."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

#: Instruction sets that change the speed of the OCR and search kernels.
FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "neon", "asimd")


def machine() -> dict[str, Any]:
    """CPU model, the instruction sets of `FLAGS` it has, core count, Python."""
    model, flags = _cpuinfo(Path("/proc/cpuinfo"))
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "instruction_sets": [flag for flag in FLAGS if flag in flags],
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }


def describe(info: dict[str, Any]) -> str:
    """One line for a table's caption."""
    sets = ", ".join(info["instruction_sets"]) or "none of " + "/".join(FLAGS[:5])
    return f"{info['cpu']} ({info['cores']} cores; {sets})"


def _cpuinfo(path: Path) -> tuple[str, set[str]]:
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return "", set()
    model = ""
    flags: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("model name", "Model", "cpu model") and not model:
            model = value.strip()
        elif key in ("flags", "Features") and not flags:
            flags = set(value.split())
    return model, flags
