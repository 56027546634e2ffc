"""The one error type for bad input files."""

from __future__ import annotations


class InputError(ValueError):
    """A file that cannot be imported, with where the problem is.

    Parameters
    ----------
    file : str
        The file as the user named it.
    feature : str or None
        Which feature or row (e.g. ``"feature 3 (id 'x')"``, ``"line 7"``); None for the file.
    field : str or None
        Which field or column (``"geometry"``, ``"latitude"``); None when not one field.
    message : str
        What is wrong, in one line.
    """

    def __init__(self, file: str, feature: str | None, field: str | None, message: str):
        self.file = str(file)
        self.feature = feature
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.feature:
            where.append(self.feature)
        if self.field:
            where.append(f"field '{self.field}'")
        return ": ".join(where) + ": " + " ".join(self.message.split())
