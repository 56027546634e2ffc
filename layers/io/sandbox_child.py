"""The sandboxed reader: run as ``python -m layers.io.sandbox_child REQUEST.json``.

Started by :func:`layers.io.sandbox.read_isolated` with GDAL limited to one driver. Before it
reads, it leaves the network (an empty network namespace), sets its memory and CPU limits and
checks that GDAL really has only the driver it was given. It writes ``layer.parquet`` and
``reply.json`` (repairs, notes, or the error) into the request's folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import sys
from pathlib import Path

from layers.io.errors import InputError

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def _isolate_network() -> bool:
    """Enter an empty network namespace (as root directly, else inside a user namespace)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _parquet_ready(gdf):
    """Object columns that mix types (GDAL lists, mixed JSON values) become text, so Arrow
    can store them."""
    import pandas as pd

    for col in gdf.columns:
        if col == gdf.geometry.name or gdf[col].dtype != object:
            continue
        kinds = {type(v) for v in gdf[col] if v is not None and v == v}
        if len(kinds) > 1 or not kinds <= {str}:
            gdf[col] = pd.array([None if v is None or v != v else str(v) for v in gdf[col]],
                                dtype="string")
    return gdf


def _child(request_path: str) -> int:
    req = json.loads(Path(request_path).read_text())
    out = Path(req["out"])
    isolated = _isolate_network()
    _limit(req["memory_mb"], req["cpu_seconds"])

    def reply(payload: dict) -> None:
        tmp = out / "reply.json.tmp"
        tmp.write_text(json.dumps(payload))
        os.replace(tmp, out / "reply.json")

    try:
        import pyogrio

        from layers.io import readers

        have = set(pyogrio.list_drivers())
        if req["driver"] == "CSV" and have or req["driver"] != "CSV" and have != {req["driver"]}:
            # Fail closed: a GDAL that ignored GDAL_SKIP must not open the file.
            raise InputError(req["file"], None, None,
                             "the reader could not be restricted to one format; not read")
        notes: list[str] = []
        path, file = Path(req["path"]), req["file"]
        if req["driver"] == "CSV":
            gdf = readers.read_csv(path, file, notes)
        else:
            gdf = readers.read_vector(path, file, req["driver"], req["layer"], notes,
                                      req["skip"])
        repairs = list(gdf.attrs.get("repairs", []))
        gdf.attrs = {}
        _parquet_ready(gdf).to_parquet(out / "layer.parquet")
        if not isolated:
            notes.append("(network isolation unavailable here; GDAL network access is off)")
        reply({"repairs": repairs, "notes": notes})
    except InputError as exc:
        reply({"error": {"file": exc.file, "feature": exc.feature, "field": exc.field,
                         "message": exc.message}})
    except Exception as exc:
        if not isinstance(exc, MemoryError) and _peak_mb() < 0.9 * req["memory_mb"]:
            raise  # a bug of ours, not the file's size: the parent logs the traceback
        reply({"error": {"file": req["file"], "feature": None, "field": None,
                         "message": f"reading needs more memory than one import may use "
                                    f"({req['memory_mb']} MB, CORDON_IMPORT_MEMORY_MB); "
                                    "split the file"}})
    return 0


def _peak_mb() -> float:
    """Peak address space of this process (what RLIMIT_AS limits), in MB."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
