"""Findings (`Problem`) and the errors that stop a command.

A `Problem` is data: loaders and checks return them, reporters print them. A `KpsyError` stops a
command; the CLI turns it into one message and an exit code, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, located in a file (line and column are 1-based; 0 when unknown)."""

    file: str
    line: int
    col: int
    rule: str
    level: Level
    message: str

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.rule)


@dataclass
class CheckResult:
    root: Path
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


class KpsyError(Exception):
    """Something stopped the command; the message is shown to the user as it is."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanNotFoundError(KpsyError):
    """No plan folder where one was looked for."""


class PlanInvalidError(KpsyError):
    """The plan has errors, so a command that needs a sound plan cannot run."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"the plan has {len(errors)} error(s); `kpsy validate` lists them all")
        self.problems = errors


class UsageError(KpsyError):
    """The command was given options it cannot work with."""

    exit_code = 2


class OutputError(KpsyError):
    """An output file could not be written."""
