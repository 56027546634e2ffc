"""``python -m geo``: place mentions in text files as GeoJSON, CSV or JSON Lines.

One output record per mention: the file, character offsets into the decoded
text, the surface, qualifier, resolved name, kind, country, coordinates,
confidence, gazetteer source and the sentence the mention came from.

Bad input never produces a traceback: a missing, unreadable or directory
argument is reported on one line naming the file, with exit status 2, before
any work is done. Bytes that are not UTF-8 are decoded with replacement
characters (U+FFFD) and a one-line warning names the file; offsets index the
decoded text. A file that is not text at all (NUL bytes, or mostly undecodable
bytes: a PDF, an image, UTF-16) is skipped with a one-line error naming it, the
other files are still read, and the exit status is 2. Output to ``-o`` is
written to a temporary file and renamed, so a failure never leaves half a file.

Exit status: 0 success, 1 internal error, 2 bad input or usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from geo.oneline import internal_error

__all__ = ["main", "decode", "sentence_of", "records", "render", "Writer"]

FORMATS = ("geojson", "csv", "jsonl")
FIELDS = ("file", "start", "end", "text", "qualifier", "name", "kind", "country", "lat", "lon",
          "confidence", "source", "sentence")
_SUFFIX_FORMAT = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".jsonl": "jsonl",
                  ".ndjson": "jsonl"}
#: The progress bar appears on its own for more than this many files (on a terminal).
PROGRESS_MIN_FILES = 3
#: Sentences longer than this are cut to a window around the mention.
MAX_SENTENCE = 400


class InputError(Exception):
    """A problem with one input or output file; its message names the file."""


# --------------------------------------------------------------------------- input


def check_inputs(paths: Sequence[str]) -> None:
    """Fail early, naming the file, if any input cannot be read."""
    for name in paths:
        if name == "-":
            continue
        path = Path(name)
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory (give the files inside it)")
        if not os.access(path, os.R_OK):
            raise InputError(f"{name}: permission denied")


def read_bytes(name: str, stdin: BinaryIO) -> bytes:
    """The raw bytes of a file argument (``-`` is standard input)."""
    if name == "-":
        try:
            return stdin.read()
        except OSError as exc:
            raise InputError(f"<stdin>: cannot read ({exc.strerror or exc})") from None
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


#: Share of undecodable characters above which a file is taken for binary data, not text.
BINARY_SHARE = 0.1


def not_text(data: bytes) -> bool:
    """True for data that is not UTF-8 text: a NUL byte in the first 8 KB (how git tells
    binary files) or more than :data:`BINARY_SHARE` of it undecodable."""
    if b"\x00" in data[:8192]:
        return True
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return bool(text) and bad / len(text) > BINARY_SHARE


def decode(data: bytes, label: str, warn: TextIO) -> str:
    """UTF-8 text (BOM removed); undecodable bytes become U+FFFD with a one-line warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        print(f"geo: warning: {label}: not valid UTF-8 (first bad byte at offset {exc.start}); "
              f"{bad} undecodable sequence(s) replaced with U+FFFD", file=warn)
        return text


# --------------------------------------------------------------------------- sentences

_BOUNDARY = re.compile(r"[.!?؟。]+[\"'”’»)\]]*(?=\s+(?![a-z]))|\n[ \t\r]*\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col lt sgt capt prof no vs etc jr sr maj adm gov sen rep".split()
)


def sentence_bounds(text: str) -> list[int]:
    """Sorted offsets where sentences end (after the terminator), for :func:`sentence_of`."""
    bounds = []
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"(\w+)$", text[max(0, m.start() - 12):m.start()])
            if word and word.group(1).casefold() in _ABBREVIATIONS:
                continue
        bounds.append(m.end())
    return bounds


def sentence_of(text: str, start: int, end: int, bounds: Sequence[int]) -> str:
    """The sentence around ``text[start:end]``, whitespace collapsed.

    Sentences longer than :data:`MAX_SENTENCE` characters (e.g. text without
    punctuation) are cut to a window around the mention, marked with "…".
    """
    i = bisect.bisect_right(bounds, start)
    lo = bounds[i - 1] if i else 0
    hi = bounds[i] if i < len(bounds) else len(text)
    hi = max(hi, end)
    cut_lo = cut_hi = False
    if hi - lo > MAX_SENTENCE:
        half = max(0, (MAX_SENTENCE - (end - start)) // 2)
        if start - half > lo:
            lo, cut_lo = start - half, True
        if end + half < hi:
            hi, cut_hi = end + half, True
    sentence = " ".join(text[lo:hi].split())
    return ("…" if cut_lo else "") + sentence + ("…" if cut_hi else "")


# --------------------------------------------------------------------------- records


def _coord(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def records(label: str, text: str, mentions: Iterable[Any]) -> list[dict[str, Any]]:
    """One flat dict per mention with the fields in :data:`FIELDS`."""
    bounds = sentence_bounds(text)
    out = []
    for m in mentions:
        lat, lon = _coord(m.lat), _coord(m.lon)
        out.append({
            "file": label, "start": m.start, "end": m.end, "text": m.text,
            "qualifier": m.qualifier, "name": m.name, "kind": m.kind, "country": m.country,
            "lat": None if lat is None else round(lat, 7),
            "lon": None if lon is None else round(lon, 7),
            "confidence": m.confidence, "source": m.source,
            "sentence": sentence_of(text, m.start, m.end, bounds),
        })
    return out


class Writer:
    """Streams records in one format to a text stream, file by file (constant memory).

    GeoJSON is an RFC 7946 FeatureCollection: Point ``[lon, lat]`` rounded to 7 decimals, no
    ``crs``, a null geometry for a mention without coordinates (RFC 7946 §3.2).
    """

    def __init__(self, fmt: str, out: TextIO) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt, self.out, self.count = fmt, out, 0
        if fmt == "geojson":
            out.write('{"type": "FeatureCollection", "features": [')
        elif fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
            self._csv.writeheader()

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Write some records."""
        for row in rows:
            if self.fmt == "geojson":
                props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
                geometry = (None if row["lat"] is None or row["lon"] is None else
                            {"type": "Point", "coordinates": [row["lon"], row["lat"]]})
                feature = {"type": "Feature", "geometry": geometry, "properties": props}
                self.out.write(("\n" if self.count == 0 else ",\n")
                               + json.dumps(feature, ensure_ascii=False, allow_nan=False))
            elif self.fmt == "csv":
                self._csv.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                self.out.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
            self.count += 1

    def close(self) -> None:
        """Finish the document (GeoJSON needs its closing brackets)."""
        if self.fmt == "geojson":
            self.out.write("\n]}\n" if self.count else "]}\n")


def render(rows: Iterable[dict[str, Any]], fmt: str) -> str:
    """The whole output document in ``fmt`` as a string."""
    buf = io.StringIO()
    writer = Writer(fmt, buf)
    writer.add(rows)
    writer.close()
    return buf.getvalue()


# --------------------------------------------------------------------------- output


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A text stream to a temporary file beside ``path``, renamed over it on success only."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: cannot write (no such directory {directory})")
    if path.is_dir():
        raise InputError(f"{path}: cannot write (is a directory)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        # An OSError naming no other file is ours (e.g. disk full); others are not write errors.
        if isinstance(exc, OSError) and exc.filename in (tmp, str(path), None):
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


@contextlib.contextmanager
def stdout_text(stdout: BinaryIO) -> Iterator[TextIO]:
    """UTF-8 text on top of a binary stdout, flushed and detached (not closed) at the end."""
    wrapper = io.TextIOWrapper(stdout, encoding="utf-8", newline="", write_through=False)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


class Progress:
    """A one-line progress bar on a stream (no dependency), throttled to 10 updates/s."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled = total, stream, enabled
        self.done = 0
        self._last = 0.0

    def update(self, label: str) -> None:
        self.done += 1
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and self.done < self.total):
            return
        self._last = now
        width = 24
        filled = width * self.done // max(1, self.total)
        name = label if len(label) <= 30 else "…" + label[-29:]
        self.stream.write(f"\rgeo: [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} files {name:<30}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m geo",
        description="Find place mentions in text files and write them as GeoJSON, CSV or JSONL.",
        epilog="Exit status: 0 ok, 1 internal error, 2 bad input. Online lookups (--online or "
               "CORDON_ONLINE=1) use Nominatim at most once per second, cached in CORDON_CACHE.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files; - reads stdin")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the -o suffix, else geojson)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--demonyms", action="store_true", help="also map demonyms (Syrian → Syria)")
    p.add_argument("--online", action="store_true",
                   help="look up names the offline gazetteer lacks online (Nominatim); "
                        "CORDON_ONLINE=1 does the same")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help=f"progress bar on stderr (default: on a terminal with more than "
                        f"{PROGRESS_MIN_FILES} files)")
    return p


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output and args.output != "-":
        return _SUFFIX_FORMAT.get(Path(args.output).suffix.lower(), "geojson")
    return "geojson"


def run(args: argparse.Namespace, stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO) -> int:
    """Do the work for parsed ``args``; raises :class:`InputError` for bad input."""
    check_inputs(args.files)
    if args.output and args.output != "-":
        out_path = Path(args.output)
        if not (out_path.parent if str(out_path.parent) else Path(".")).is_dir():
            raise InputError(f"{args.output}: cannot write (no such directory)")
    from geo import geoparse  # after the checks: a typo costs no index load
    from geo.online import fill_unresolved, get_provider  # light: geopy loads only if online

    # --online, else CORDON_ONLINE=1, else offline (the default).
    provider = get_provider(online=True if args.online else None)
    show = args.progress if args.progress is not None else (
        len(args.files) > PROGRESS_MIN_FILES and stderr.isatty())
    progress = Progress(len(args.files), stderr, bool(show))
    status = 0
    to_file = bool(args.output and args.output != "-")
    sink = atomic_output(Path(args.output)) if to_file else stdout_text(stdout)
    try:
        with sink as out:
            writer = Writer(_format(args), out)
            for name in args.files:
                label = "<stdin>" if name == "-" else name
                data = read_bytes(name, stdin)
                if not_text(data):  # random bytes would "find" places: say so and go on
                    print(f"geo: error: {label}: not text (binary data, or an encoding other "
                          "than UTF-8); skipped", file=stderr)
                    status = 2
                    progress.update(label)
                    continue
                text = decode(data, label, stderr)
                mentions = geoparse(text, demonyms=args.demonyms)
                if provider is not None:
                    mentions = fill_unresolved(text, mentions, provider)
                mentions = sorted(mentions, key=lambda m: (m.start, m.end))  # text order
                writer.add(records(label, text, mentions))
                progress.update(label)
            writer.close()
    finally:
        progress.close()
    return status


def _compile(argv: list[str], stderr: TextIO) -> int:
    """``python -m geo compile [--status]``: build the compiled modules, or say which run."""
    from geo import compiled

    if argv not in ([], ["--status"]):
        print("usage: python -m geo compile [--status]", file=stderr)
        return 2
    if argv == ["--status"]:
        active = compiled.ACTIVE
        print(f"geo: compiled modules in use ({active})" if active is not None else
              f"geo: plain Python modules (no build at {compiled.build_dir()}"
              f"{'; CORDON_PURE is set' if compiled.pure_asked() else ''})",
              file=stderr)
        return 0
    try:
        compiled.build(stderr)
    except (compiled.CompileError, OSError) as exc:
        print(f"geo: the modules stay plain Python (slower, same results): {exc}", file=stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None, *, stdin: BinaryIO | None = None,
         stdout: BinaryIO | None = None, stderr: TextIO | None = None) -> int:
    """Command-line entry point; returns the exit status (never raises for bad input)."""
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout if stdout is not None else sys.stdout.buffer
    stderr = stderr if stderr is not None else sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["gazetteer"]:  # the subcommand; a file of that name is ./gazetteer
        from geo.gazetteer.cli import main as gazetteer_main

        out = io.TextIOWrapper(stdout, encoding="utf-8", write_through=True)
        try:
            return gazetteer_main(argv[1:], stdout=out, stderr=stderr)
        finally:
            out.detach()  # stdout stays open for the caller
    if argv[:1] == ["compile"]:  # the hot modules with mypyc (geo/compiled.py)
        return _compile(argv[1:], stderr)
    if argv[:1] == ["batch"]:  # corpus on Dask (geo/batch); a file of that name is ./batch
        from geo.batch.cli import main as batch_main

        return batch_main(argv[1:], stderr=stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and a one-line error
        return int(exc.code or 0)
    try:
        return run(args, stdin, stdout, stderr)
    except InputError as exc:
        print(f"geo: error: {exc}", file=stderr)
        return 2
    except KeyboardInterrupt:
        print("geo: interrupted", file=stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python's exit-time
        # flush of stdout from printing its own complaint.
        if stdout is getattr(sys.stdout, "buffer", None):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback; CORDON_DEBUG re-raises
        return internal_error("geo", exc, stderr)
