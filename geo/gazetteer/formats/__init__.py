"""Readers for the gazetteer files analysts bring: one module per format.

Every reader yields :class:`Row` objects and raises :class:`GazetteerError` with one line that
names the file, the line and (when it helps) the field. :func:`open_rows` sniffs the format from
the content (never from the file name): a zip archive holding one ``.txt``, the GeoNames dump
(tab-separated, 19 columns), an OCHA COD-style CSV (p-code columns per level) or a plain CSV
(``name``, ``lat``, ``lon``…).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: The kinds a user record may have (``geo.mention.KINDS`` minus country and demonym: countries
#: come from the shipped index only).
USER_KINDS = ("admin1", "admin2", "admin3", "city", "neighbourhood", "road", "crossing", "site",
              "region")
#: Text read from one file (decompressed) at most; a larger input is refused, not read forever.
MAX_BYTES = 2 * 1024 ** 3
#: Characters a name may have.
MAX_NAME = 200
#: Bytes one line may have.
MAX_LINE = 1024 * 1024
_SNIFF = 64 * 1024


class GazetteerError(ValueError):
    """A gazetteer file that cannot be added, or a bad name; the message is one line."""


@dataclass(slots=True)
class Row:
    """One place read from a user gazetteer, before it is indexed.

    ``admin1`` is a GeoNames-style first-level code (``SY.09``) when the file gives one;
    ``admin1_name`` is the first-level division's name when the file gives that instead (OCHA).
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    admin1_name: str = ""
    variants: list[str] = field(default_factory=list)
    name_ar: str | None = None
    pop: int = 0
    line: int = 0


def where(label: str, line: int, fld: str | None = None) -> str:
    """``file: line N[: field F]`` — the start of every error message."""
    return f"{label}: line {line}" + (f": field {fld}" if fld else "")


def clean_name(value: str, label: str, line: int, fld: str) -> str:
    """A name with control characters turned to blanks and blanks squeezed; never empty."""
    text = " ".join("".join(" " if ord(c) < 32 or 0x7f <= ord(c) < 0xa0 else c
                            for c in value).split())
    if not text:
        raise GazetteerError(f"{where(label, line, fld)}: empty name")
    if len(text) > MAX_NAME:
        raise GazetteerError(f"{where(label, line, fld)}: name longer than {MAX_NAME} "
                             "characters")
    return text


def coordinate(value: str, label: str, line: int, fld: str, limit: float) -> float:
    """A latitude (``limit`` 90) or longitude (180) in decimal degrees."""
    try:
        x = float(value.strip())
    except ValueError:
        raise GazetteerError(f"{where(label, line, fld)}: not a number: {value.strip()[:40]!r}"
                             ) from None
    if not math.isfinite(x) or abs(x) > limit:
        raise GazetteerError(f"{where(label, line, fld)}: {x} is outside ±{limit:g}°")
    return x


def population(value: str, label: str, line: int, fld: str) -> int:
    """A head count (empty means unknown: 0)."""
    value = value.strip().replace(",", "").replace("_", "")
    if not value:
        return 0
    try:
        n = int(float(value))
    except (ValueError, OverflowError):
        raise GazetteerError(f"{where(label, line, fld)}: not a number: {value[:40]!r}") \
            from None
    if n < 0:
        raise GazetteerError(f"{where(label, line, fld)}: negative population")
    return n


class _Capped(io.RawIOBase):
    """A byte stream that stops with an error past ``MAX_BYTES`` (a zip bomb cannot hang)."""

    def __init__(self, raw, label: str) -> None:
        self.raw, self.label, self.n = raw, label, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        self.n += len(data)
        if self.n > MAX_BYTES:
            raise GazetteerError(f"{self.label}: more than {MAX_BYTES // 1024 ** 2:,} MB of "
                                 "text; split it")
        b[:len(data)] = data
        return len(data)


def _zip_member(zf: zipfile.ZipFile, label: str) -> zipfile.ZipInfo:
    """The one text member of a GeoNames-style zip (its ``readme.txt`` aside)."""
    members = [i for i in zf.infolist() if not i.is_dir()
               and i.filename.lower().endswith((".txt", ".csv", ".tsv"))
               and Path(i.filename).name.lower() not in {"readme.txt", "license.txt"}]
    if len(members) != 1:
        names = ", ".join(i.filename[:60] for i in members[:4]) or "none"
        raise GazetteerError(f"{label}: a zip must hold exactly one .txt or .csv gazetteer "
                             f"(found: {names})")
    return members[0]


@contextmanager
def text_stream(path: Path, label: str, errors: str = "strict") -> Iterator[Iterator[str]]:
    """The file's lines (UTF-8, a BOM dropped, line ends kept), from inside a zip archive when
    it is one.

    Nothing in the archive is written to disk, so a member's name cannot reach outside it.
    Each line is decoded on its own, so a byte that is not UTF-8 names its line; ``errors``
    is the decoding policy (``replace`` to sniff).
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise GazetteerError(f"{label}: cannot read ({exc.strerror or exc})") from None
    with fh:
        if fh.read(4) == b"PK\x03\x04":
            fh.seek(0)
            try:
                zf = zipfile.ZipFile(fh)
                info = _zip_member(zf, label)
                raw = zf.open(info)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
                    RuntimeError) as exc:  # RuntimeError: an encrypted member
                raise GazetteerError(f"{label}: not a readable zip archive ({exc})") from None
            with raw:
                yield _decoded(_Capped(raw, label), label, errors)
            return
        fh.seek(0)
        yield _decoded(_Capped(fh, label), label, errors)


def _decoded(raw: io.RawIOBase, label: str, errors: str) -> Iterator[str]:
    buf = io.BufferedReader(raw, 1 << 16)
    n = 0
    while True:
        b = buf.readline(MAX_LINE + 1)
        if not b:
            return
        n += 1
        if len(b) > MAX_LINE:
            raise GazetteerError(f"{label}: line {n}: longer than {MAX_LINE // 1024} KiB")
        if n == 1 and b.startswith(b"\xef\xbb\xbf"):
            b = b[3:]
        try:
            yield b.decode("utf-8", errors)
        except UnicodeDecodeError:
            raise GazetteerError(f"{label}: line {n}: not UTF-8 text (save the file as "
                                 "UTF-8)") from None


def lines(stream: Iterable[str], label: str) -> Iterator[tuple[int, str]]:
    """(line number, line without its end)."""
    for n, line in enumerate(stream, 1):
        yield n, line.rstrip("\r\n")


def csv_rows(stream: Iterable[str], label: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV file; the delimiter (, ; tab |) is taken from its header."""
    it = iter(stream)
    head = next(it, "")
    delim = max(",;\t|", key=head.count)
    reader = csv.reader(itertools.chain([head], it), delimiter=delim)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise GazetteerError(f"{label}: line {reader.line_num}: {exc}") from None
        yield reader.line_num, cells


def header_key(cell: str) -> str:
    """A header cell compared loosely: lower case, no blanks, BOM or surrounding quotes."""
    return cell.strip().strip("\ufeff\"'").lower().replace(" ", "_")


def sniff(path: Path, label: str) -> str:
    """The format of a gazetteer file from its first lines: ``geonames``, ``ocha``, ``plain``.

    Raises
    ------
    GazetteerError
        When the content matches none of them.
    """
    from geo.gazetteer.formats import geonames, ocha, plain_csv

    with text_stream(path, label, "replace") as stream:
        head = "".join(itertools.islice(stream, 50))[:_SNIFF]
    if head.count("\ufffd") > len(head) // 10 or "\x00" in head:
        raise GazetteerError(f"{label}: not UTF-8 text (binary data, or another encoding: save "
                             "the file as UTF-8)")
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    if not first:
        raise GazetteerError(f"{label}: empty file")
    if geonames.looks_like(first):
        return "geonames"
    delim = max(",;\t|", key=first.count)
    cells = [header_key(c) for c in next(csv.reader([first], delimiter=delim))]
    if ocha.looks_like(cells):
        return "ocha"
    if plain_csv.looks_like(cells):
        return "plain"
    raise GazetteerError(
        f"{label}: not a gazetteer this tool reads — expected a GeoNames dump (19 tab-separated "
        "columns), an OCHA COD CSV (admin<N>Pcode and admin<N>Name columns with lat/lon) or a "
        "CSV with name, lat and lon columns")


def open_rows(path: Path, label: str | None = None) -> tuple[str, Iterator[Row | None]]:
    """Sniff ``path`` and return (format, rows). Rows are read lazily; errors name the line;
    None stands for a line read but not kept (a feature class that is no place to index)."""
    from geo.gazetteer.formats import geonames, ocha, plain_csv

    label = label or path.name
    fmt = sniff(path, label)
    reader = {"geonames": geonames.rows, "ocha": ocha.rows, "plain": plain_csv.rows}[fmt]

    def gen() -> Iterator[Row | None]:
        with text_stream(path, label) as stream:
            yield from reader(stream, label)

    return fmt, gen()


__all__ = ["GazetteerError", "Row", "USER_KINDS", "open_rows", "sniff"]
