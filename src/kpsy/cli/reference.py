"""Rebuild the reference .docx that gives documents their GB/T 9704 layout (for kpsy's maintainers):

python -m kpsy.cli.reference templates/reference.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from kpsy.cli.app import err
from kpsy.documents.reference import build
from kpsy.util import write_atomic


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0]) if args else Path("templates/reference.docx")
    write_atomic(target, build())
    err(f"wrote {target}")


if __name__ == "__main__":
    main()
