"""What the benchmark scripts share."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def kpsy() -> list[str]:
    """The kpsy command: the installed script, else `python -m kpsy`."""
    exe = shutil.which("kpsy")
    return [exe] if exe else [sys.executable, "-m", "kpsy"]
