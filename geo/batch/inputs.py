"""Corpus inputs: check them, cut them into partitions (on the client), read one partition
(on a worker).

Planning reads each input once as a stream of 1 MB blocks and keeps only the partition
boundaries (byte offsets and the line number each slice starts at), so the client's memory does
not grow with the corpus; a worker later opens the same file and reads just its slice. Inputs:

- JSON Lines (``.jsonl``, ``.ndjson``): one object per line; slices end after a newline.
- CSV (``.csv``, UTF-8, header row, RFC 4180 quoting): slices end after a newline outside quotes
  (an even number of ``"`` before it), so quoted text may hold newlines.
- Parquet (``.parquet``, ``.pq``): slices are runs of whole row groups (the smallest unit
  Parquet can read alone; a writer's row-group size bounds a worker's memory).
- A folder of ``.txt`` files (one document each, id = path relative to the folder, ``/``
  separators), or one ``.txt`` file. Links that lead outside the folder are not followed.

Problems with the input as a whole (missing, empty, binary, no text column) raise
:class:`InputError` before any work; problems with one line or document are returned as
:class:`Problem` records beside the documents, so the batch goes on without them.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

__all__ = ["InputError", "Source", "Partition", "Doc", "Problem", "open_inputs", "plan",
           "read_partition"]

#: Planning reads inputs in blocks of this size.
BLOCK = 1 << 20
#: The end of a corpus is cut finer: once less than ``TAPER`` partitions' worth is left,
#: each partition takes 1/``TAPER`` of what remains, down to 1/``FINEST`` of the target.
TAPER = 8
FINEST = 16
#: Bytes looked at to tell text from binary data.
SNIFF = 1 << 16
KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
         ".pq": "parquet", ".txt": "txt"}


class InputError(Exception):
    """An input that cannot be used at all; the message is one line naming it."""


class Doc(NamedTuple):
    """One document: its id, its text, and where it came from (for reports)."""

    doc_id: str
    text: object  # str normally; anything else fails in geoparse and is reported by id
    where: str


class Problem(NamedTuple):
    """A line or document skipped, and why."""

    where: str
    doc_id: str | None
    message: str
    kept: bool = False  # a warning: the document was parsed anyway


@dataclass(frozen=True)
class Source:
    """One checked input."""

    label: str           # as the user gave it
    path: str            # absolute
    kind: str            # jsonl | csv | parquet | txt (a file) | dir (a folder of .txt)
    size: int
    mtime_ns: int
    header: tuple[str, ...] = ()      # csv: the column names
    body: int = 0                     # csv: byte offset of the first record after the header
    files: tuple[tuple[str, int], ...] = ()   # dir: (relative name, size) of its .txt files


@dataclass(frozen=True)
class Partition:
    """One slice of one input: what a worker reads, parses and returns as one part."""

    index: int
    source: Source
    start: int = 0                    # jsonl/csv: byte range [start, end)
    end: int = 0
    line: int = 1                     # first line (jsonl/csv) or row (parquet) number
    items: tuple = ()                 # parquet: row groups; dir: relative file names
    nbytes: int = 0                   # input bytes in the slice (for progress and sizing)


# --------------------------------------------------------------------------- checks


def not_text(data: bytes) -> bool:
    """True when ``data`` looks like binary data rather than UTF-8 text (``geo.cli`` rule)."""
    from geo.cli import not_text as _not_text

    return _not_text(data)


def _head(path: Path, label: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF)
    except OSError as exc:
        raise InputError(f"{label}: cannot read ({exc.strerror or exc})") from None


def open_inputs(names: Sequence[str], text_field: str) -> list[Source]:
    """Check every input and describe it; raises :class:`InputError` on the first bad one."""
    out = []
    for label in names:
        path = Path(label)
        if not path.exists():
            raise InputError(f"{label}: no such file or folder")
        if not os.access(path, os.R_OK):
            raise InputError(f"{label}: permission denied")
        st = path.stat()
        apath = str(path.resolve())
        if path.is_dir():
            files = _txt_files(path)
            if not files:
                raise InputError(f"{label}: no .txt files in this folder")
            size = sum(s for _, s in files)
            out.append(Source(label, apath, "dir", size, st.st_mtime_ns, files=tuple(files)))
            continue
        kind = KINDS.get(path.suffix.lower())
        if kind is None:
            raise InputError(f"{label}: unknown input type (give .jsonl, .ndjson, .csv or "
                             ".parquet files, .txt files or folders of .txt files)")
        if st.st_size == 0:
            raise InputError(f"{label}: empty (no documents)")
        head = _head(path, label)
        if kind == "parquet":
            out.append(_parquet_source(label, apath, st, text_field))
            continue
        if not_text(head):
            raise InputError(f"{label}: not text (binary data, or an encoding other than "
                             "UTF-8)")
        if st.st_size <= SNIFF and not head.strip() and kind != "txt":
            raise InputError(f"{label}: empty (no documents)")
        if kind == "csv":
            out.append(_csv_source(label, apath, st, text_field))
        else:
            out.append(Source(label, apath, kind, st.st_size, st.st_mtime_ns))
    return out


def _txt_files(root: Path) -> list[tuple[str, int]]:
    """(relative name, size) of the .txt files under ``root``, sorted; links leaving the
    folder are skipped (a folder from elsewhere must not make us read our own files)."""
    base = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(".txt"):
                continue
            p = Path(dirpath) / name
            try:
                real = p.resolve()
                if not real.is_relative_to(base) or not real.is_file():
                    continue
                size = real.stat().st_size
            except OSError:
                continue
            found.append((p.relative_to(root).as_posix(), size))
    return found


def _parquet_source(label: str, apath: str, st: os.stat_result, text_field: str) -> Source:
    import pyarrow.parquet as pq

    try:
        with open(apath, "rb") as fh:
            magic = fh.read(4)
        if magic != b"PAR1":
            raise ValueError("no PAR1 magic")
        schema = pq.ParquetFile(apath).schema_arrow
    except Exception:  # noqa: BLE001 - any failure here means "not a Parquet file we can read"
        raise InputError(f"{label}: not a Parquet file (or a damaged one)") from None
    if text_field not in schema.names:
        raise InputError(f"{label}: no column {text_field!r} (columns: "
                         f"{', '.join(schema.names[:12])})")
    import pyarrow as pa

    typ = schema.field(text_field).type
    if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)
            or pa.types.is_string_view(typ)):
        raise InputError(f"{label}: column {text_field!r} holds {typ}, not text")
    return Source(label, apath, "parquet", st.st_size, st.st_mtime_ns)


def _csv_source(label: str, apath: str, st: os.stat_result, text_field: str) -> Source:
    cut = next(_cuts(apath, lambda _: 1, quoted=True), None)
    body = cut[1] if cut else st.st_size
    with open(apath, "rb") as fh:
        raw = fh.read(min(body, SNIFF * 16))
    text = raw.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise InputError(f"{label}: line 1: malformed CSV header ({exc})") from None
    if text_field not in header:
        raise InputError(f"{label}: no column {text_field!r} in the header (columns: "
                         f"{', '.join(header[:12])})")
    return Source(label, apath, "csv", st.st_size, st.st_mtime_ns, header=tuple(header),
                  body=body)


# --------------------------------------------------------------------------- planning


def part_size(target: int, remaining: int) -> int:
    """Bytes wanted in the next partition when ``remaining`` bytes of the corpus are left.

    ``target`` while more than ``TAPER`` partitions' worth is left; then 1/``TAPER`` of the
    rest, never below ``target / FINEST``. The last partitions thus shrink step by step, so
    when the corpus runs out every worker is on a small one and none idles for long while
    another ends a full-size partition. The rule does not depend on the number of workers:
    a rerun on another cluster plans the same partitions and can reuse finished ones.
    """
    return max(1, min(target, max(target // FINEST, remaining // TAPER)))


def _cuts(path: str, size: Callable[[int], int], *, quoted: bool, offset: int = 0,
          line: int = 1) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line) of consecutive slices, each of at least ``size(start)`` bytes
    and ending just after a newline (outside double quotes when ``quoted``), or at the end."""
    start, start_line = offset, line
    want = size(start)
    quotes = 0
    pos = offset
    with open(path, "rb") as fh:
        fh.seek(offset)
        while block := fh.read(BLOCK):
            i = 0
            while True:
                j = max(i, start + want - pos)
                if j >= len(block):
                    break
                nl = block.find(b"\n", j)
                if nl < 0:
                    break
                line += block.count(b"\n", i, nl + 1)
                if quoted:
                    quotes += block.count(b'"', i, nl + 1)
                i = nl + 1
                if quoted and quotes % 2:
                    continue  # this newline is inside a quoted field
                yield start, pos + i, start_line
                start, start_line = pos + i, line
                want = size(start)
            line += block.count(b"\n", i)
            if quoted:
                quotes += block.count(b'"', i)
            pos += len(block)
    if start < pos:
        yield start, pos, start_line


def _row_groups(path: str) -> list[tuple[int, int]]:
    """(bytes, rows) of each row group of a Parquet file."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    return [(meta.row_group(g).total_byte_size, meta.row_group(g).num_rows)
            for g in range(meta.num_row_groups)]


def plan(sources: Sequence[Source], target: int) -> list[Partition]:
    """Cut the inputs into partitions of about ``target`` bytes each, in input order; the
    last ones of the corpus smaller (see :func:`part_size`)."""
    target = max(1, int(target))
    parts: list[Partition] = []
    groups_of = {s.path: _row_groups(s.path) for s in sources if s.kind == "parquet"}
    # bytes of each source in the unit partitions count (Parquet: uncompressed row groups)
    sizes = [sum(b for b, _ in groups_of[s.path]) if s.kind == "parquet" else s.size
             for s in sources]
    after = [sum(sizes[k + 1:]) for k in range(len(sources))]  # bytes in the later sources

    def add(**kw) -> None:
        parts.append(Partition(index=len(parts), **kw))

    for k, src in enumerate(sources):
        if src.kind == "jsonl" or src.kind == "csv":
            offset, line = 0, 1
            if src.kind == "csv":  # records start after the header, which may span lines
                with open(src.path, "rb") as fh:
                    offset, line = src.body, 1 + fh.read(src.body).count(b"\n")

            def size(start: int, _end: int = src.size, _later: int = after[k]) -> int:
                return part_size(target, _end - start + _later)

            for a, b, first in _cuts(src.path, size, quoted=src.kind == "csv", offset=offset,
                                     line=line):
                add(source=src, start=a, end=b, line=first, nbytes=b - a)
        elif src.kind == "txt":
            add(source=src, items=(Path(src.path).name,), nbytes=src.size)
        elif src.kind == "dir":
            batch: list[str] = []
            size, left = 0, sizes[k] + after[k]
            for rel, nbytes in src.files:
                size += nbytes
                batch.append(rel)
                if size >= part_size(target, left):
                    add(source=src, items=tuple(batch), nbytes=size)
                    left -= size
                    batch, size = [], 0
            if batch:
                add(source=src, items=tuple(batch), nbytes=size)
        else:
            groups: list[int] = []
            size, row, first, left = 0, 1, 1, sizes[k] + after[k]
            for g, (nbytes, nrows) in enumerate(groups_of[src.path]):
                groups.append(g)
                size += nbytes
                row += nrows
                if size >= part_size(target, left):
                    add(source=src, items=tuple(groups), line=first, nbytes=size)
                    left -= size
                    groups, size, first = [], 0, row
            if groups:
                add(source=src, items=tuple(groups), line=first, nbytes=size)
    return parts


# --------------------------------------------------------------------------- reading


def read_partition(part: Partition, text_field: str, id_field: str) -> list[Doc | Problem]:
    """The documents of one partition, in input order, with a :class:`Problem` in place of
    each line or document that cannot be read. Runs on a worker."""
    src = part.source
    try:
        if src.kind in ("jsonl", "csv"):
            with open(src.path, "rb") as fh:
                fh.seek(part.start)
                data = fh.read(part.end - part.start)
            if src.kind == "jsonl":
                return list(_jsonl(data, part, text_field, id_field))
            return list(_csv(data, part, text_field, id_field))
        if src.kind == "parquet":
            return list(_parquet(part, text_field, id_field))
        return list(_txt(part))
    except (OSError, ValueError) as exc:  # e.g. a damaged Parquet row group (ArrowInvalid)
        return [Problem(f"{src.label}:{part.line}", None,
                        f"cannot read this part of the input ({exc}); {part.nbytes} bytes "
                        "skipped")]


def _doc_id(value: object, fallback: str) -> str:
    if value is None or value == "":
        return fallback
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _jsonl(data: bytes, part: Partition, text_field: str,
           id_field: str) -> Iterator[Doc | Problem]:
    label = part.source.label
    if part.start == 0 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark before the first line
    for n, raw in enumerate(data.split(b"\n"), start=part.line):
        if not raw.strip():
            continue
        where = f"{label}:{n}"
        try:
            rec = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Problem(where, None, "not valid UTF-8; line skipped")
            continue
        except (ValueError, RecursionError) as exc:
            reason = (exc.msg if isinstance(exc, json.JSONDecodeError) else
                      "too deeply nested" if isinstance(exc, RecursionError) else str(exc))
            yield Problem(where, None, f"not valid JSON ({reason}); line skipped")
            continue
        if not isinstance(rec, dict):
            yield Problem(where, None, "not a JSON object; line skipped")
            continue
        if text_field not in rec:
            yield Problem(where, None, f"no {text_field!r} field; line skipped")
            continue
        yield Doc(_doc_id(rec.get(id_field), where), rec[text_field], where)


def _csv(data: bytes, part: Partition, text_field: str,
         id_field: str) -> Iterator[Doc | Problem]:
    src = part.source
    text = data.decode("utf-8", "replace")
    if "\ufffd" in text and data.count("\ufffd".encode()) < text.count("\ufffd"):
        yield Problem(f"{src.label}:{part.line}", None, "bytes that are not UTF-8 in the "
                      "records from here were replaced with U+FFFD (records kept)", kept=True)
    header = src.header
    ti = header.index(text_field)
    ii = header.index(id_field) if id_field in header else None
    csv.field_size_limit(max(1 << 20, part.end - part.start + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    seen = 0
    while True:
        where = f"{src.label}:{part.line + seen}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            seen = reader.line_num
            yield Problem(where, None, f"malformed CSV ({exc}); record skipped")
            continue
        seen = reader.line_num
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            yield Problem(where, None, f"{len(row)} fields where the header has "
                                       f"{len(header)}; record skipped")
            continue
        yield Doc(_doc_id(row[ii] if ii is not None else None, where), row[ti], where)


def _parquet(part: Partition, text_field: str, id_field: str) -> Iterator[Doc | Problem]:
    import pyarrow.parquet as pq

    src = part.source
    pf = pq.ParquetFile(src.path)
    cols = [text_field] + ([id_field] if id_field in pf.schema_arrow.names
                           and id_field != text_field else [])
    row = part.line
    for g in part.items:
        table = pf.read_row_group(g, columns=cols)
        texts = table.column(text_field).to_pylist()
        ids = table.column(id_field).to_pylist() if len(cols) > 1 else [None] * len(texts)
        for doc_id, text in zip(ids, texts, strict=True):
            where = f"{src.label}:row {row}"
            row += 1
            if text is None:
                yield Problem(where, _doc_id(doc_id, where), f"{text_field!r} is empty (null); "
                                                             "row skipped")
                continue
            yield Doc(_doc_id(doc_id, where), text, where)


def _txt(part: Partition) -> Iterator[Doc | Problem]:
    from geo.cli import decode

    src = part.source
    root = Path(src.path) if src.kind == "dir" else Path(src.path).parent
    for rel in part.items:
        doc_id = rel
        where = f"{src.label}/{rel}" if src.kind == "dir" else src.label
        try:
            data = (root / rel).read_bytes()
        except OSError as exc:
            yield Problem(where, doc_id, f"cannot read ({exc.strerror or exc}); skipped")
            continue
        if not_text(data):
            yield Problem(where, doc_id, "not text (binary data, or an encoding other than "
                                         "UTF-8); skipped")
            continue
        warn = io.StringIO()
        text = decode(data, where, warn)
        if warn.getvalue():
            yield Problem(where, doc_id, "bytes that are not UTF-8 were replaced with U+FFFD "
                                         "(document kept)", kept=True)
        yield Doc(doc_id, text, where)
