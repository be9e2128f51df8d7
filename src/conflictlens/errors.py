"""Numbered errors that tell the user what went wrong, where, and what to do.

Each message names the file (when there is one), the problem and the fix, in one line, so
that a build can print it and go on with the other documents.
"""

from __future__ import annotations


class ConflictlensError(Exception):
    """Base class: ``code`` is stable (E001 …), ``str(err)`` is the one-line message."""

    code = "E000"

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        self.message = message
        where = f"{path}: " if path else ""
        super().__init__(f"[{self.code}] {where}{message}")


class DocumentError(ConflictlensError):
    """A document could not be read as text; the build skips it and goes on."""

    code = "E001"


class ModelError(ConflictlensError):
    """The spaCy pipeline is missing."""

    code = "E002"


class StoreError(ConflictlensError):
    """The knowledge-base file is missing, not a conflictlens KB, or of a newer schema."""

    code = "E003"


class NotFoundError(ConflictlensError):
    """A name or id asked for is not in the knowledge base."""

    code = "E004"


class BuildError(ConflictlensError):
    """Nothing could be built (no readable document)."""

    code = "E005"
