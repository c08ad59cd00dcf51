"""The errors that stop a command.

A `KpsyError` stops a command; the CLI turns it into one message and an exit code, in one place
(`kpsy.cli`). Findings about a plan are not errors but data: see `kpsy.findings`.
"""

from __future__ import annotations

from kpsy.findings import Problem


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
        from kpsy.i18n import msg

        super().__init__(
            msg(
                "the plan has {n} error(s); `kpsy validate` lists them all",
                "计划有 {n} 处错误；`kpsy validate` 会列出全部",
                n=len(errors),
            )
        )
        self.problems = errors


class UnknownNameError(KpsyError):
    """A unit, part, action or id that the plan does not have."""


class AmbiguousNameError(UnknownNameError):
    """A name that fits more than one part, action, task or unit; `candidates` are what it fits, as shown."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class UsageError(KpsyError):
    """The command was given options it cannot work with."""

    exit_code = 2


class OutputError(KpsyError):
    """An output file could not be written."""


class PipeClosedError(KpsyError):
    """Whoever read standard output stopped reading (`kpsy tasks | head`): end quietly."""
