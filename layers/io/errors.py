"""The one error type for bad input files."""

from __future__ import annotations

import re

#: GDAL/pyogrio wording that means nothing to a user -> what it means for their file.
_LIBRARY_WORDS = (
    (re.compile(r"'[^\n]*' not recognized as being in a supported file format\.?.*$",
                re.DOTALL), "the file is empty, damaged or not in this format"),
    (re.compile(r"\bLIBKML\b"), "KML"),
    (re.compile(r"ERROR parsing kml .*? :\s*(.*)$", re.DOTALL),
     lambda m: "not valid KML" + (f" ({m.group(1).strip()})" if m.group(1).strip() else "")),
)


def plain_words(message: str) -> str:
    """``message`` with GDAL's jargon said in plain words, on one line."""
    for pattern, words in _LIBRARY_WORDS:
        message = pattern.sub(words, message)
    return " ".join(message.split())


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
        return ": ".join(where) + ": " + plain_words(self.message)
