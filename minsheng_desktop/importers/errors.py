"""Import errors: one clear Chinese message naming the file, what is wrong and what to do."""

from __future__ import annotations


class ImportFailure(Exception):
    """A file that cannot be imported. ``str(err)`` is the one line shown to the clerk."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message
