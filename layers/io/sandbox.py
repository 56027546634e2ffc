"""Read an untrusted file in a child process that can reach nothing but the file.

The child (``python -m layers.io.sandbox_child``) is started with:

- GDAL allowed one driver, the one :func:`layers.io.sniff.sniff` settled on (``GDAL_SKIP``
  names every other, so a VRT or any format that opens other datasets cannot be used);
  ``GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR`` (no listing of neighbouring files),
  ``CPL_VSIL_CURL_ALLOWED_EXTENSIONS`` set to an extension no URL has, no HTTP retries;
- its own empty network namespace where the kernel allows one (Linux ``unshare``): no socket
  can reach any host, loopback included;
- a copy of the file in a private folder, so sibling files are not there to be found;
- limits: address space (``CORDON_IMPORT_MEMORY_MB``, default 3072), CPU seconds, and a wall
  clock (``CORDON_IMPORT_SECONDS``, default 300) after which the parent kills it.

The child returns the checked layer as GeoParquet and its messages as JSON, never as pickle: a
child subverted by a hostile file still cannot make the parent run code.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from layers.io.errors import InputError
from layers.io.sniff import Sniffed

log = logging.getLogger(__name__)
DEFAULT_SECONDS = 300
DEFAULT_MEMORY_MB = 3072
#: Every vector driver but these is skipped in the child; raster drivers are skipped too.
_ROOT = Path(__file__).resolve().parents[2]


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def limits() -> tuple[float, int]:
    """(seconds, memory in MB) one import may use, from the environment."""
    return (_env_number("CORDON_IMPORT_SECONDS", DEFAULT_SECONDS),
            int(_env_number("CORDON_IMPORT_MEMORY_MB", DEFAULT_MEMORY_MB)))


def _gdal_env(driver: str) -> dict[str, str]:
    """Environment for the child: GDAL allowed ``driver`` only, and nothing on the network."""
    import pyogrio  # the driver list of the GDAL that the child will load

    # CSV is parsed by Python's csv module: GDAL gets no driver at all then.
    others = sorted(d for d in pyogrio.list_drivers() if d != driver or driver == "CSV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GDAL_", "CPL_", "OGR_"))}
    env.update({
        "GDAL_SKIP": ",".join(others),  # commas: some names have spaces
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".cordon-no-remote-reads",
        "GDAL_HTTP_MAX_RETRY": "0",
        "GDAL_HTTP_TIMEOUT": "1",
        "GDAL_HTTP_CONNECTTIMEOUT": "1",
        "GDAL_VRT_ENABLE_PYTHON": "NO",
        "LIBKML_RESOLVE_STYLE": "NO",
        "OGR_GEOJSON_MAX_OBJ_SIZE": "0",  # features of any size (one huge polygon is fine)
        "PYTHONPATH": os.pathsep.join([str(_ROOT), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def read_isolated(path: Path, file: str, sniffed: Sniffed, name: str | None):
    """Read ``path`` in the sandboxed child; return its checked GeoDataFrame.

    Parameters
    ----------
    path : Path
        The file, already sniffed.
    file : str
        Its name for messages.
    sniffed : Sniffed
        What :func:`layers.io.sniff.sniff` found (driver, layers to skip, notes).
    name : str or None
        One layer to read.

    Returns
    -------
    GeoDataFrame
        With ``attrs["repairs"]`` and ``attrs["notes"]``.

    Raises
    ------
    InputError
        From the reader, or when a limit was hit or the reader died.
    """
    import geopandas as gpd

    seconds, memory_mb = limits()
    with tempfile.TemporaryDirectory(prefix="cordon-import-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        copy = work / ("upload" + path.suffix.lower())
        try:
            os.link(path, copy)
        except OSError:
            shutil.copyfile(path, copy)
        request = {"path": str(copy), "file": file, "driver": sniffed.driver, "layer": name,
                   "skip": sniffed.skip_layers, "memory_mb": memory_mb,
                   "cpu_seconds": int(seconds) + 5, "out": str(work)}
        (work / "request.json").write_text(json.dumps(request))
        proc = subprocess.Popen(  # noqa: S603 - our own module, arguments are ours
            [sys.executable, "-m", "layers.io.sandbox_child", str(work / "request.json")],
            env=_gdal_env(sniffed.driver), cwd=work, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(file, None, None,
                             f"reading took longer than {seconds:g} s and was stopped "
                             "(CORDON_IMPORT_SECONDS)") from None
        except BaseException:
            _kill(proc)
            raise
        reply = work / "reply.json"
        if not reply.exists():
            # The child's traceback is for developers (logging at debug); users get one line.
            log.debug("import reader for %s ended with %s: %s", file, proc.returncode,
                      err.decode("utf-8", "replace")[-4000:])
            raise InputError(file, None, None, _death(proc.returncode, err, memory_mb))
        answer = json.loads(reply.read_text())
        if answer.get("error"):
            e = answer["error"]
            raise InputError(e["file"], e["feature"], e["field"], e["message"])
        gdf = gpd.read_parquet(work / "layer.parquet")
        gdf.attrs = {"repairs": answer.get("repairs", []),
                     "notes": sniffed.notes + answer.get("notes", [])}
        return gdf


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _death(code: int | None, err: bytes, memory_mb: int) -> str:
    """Why the child ended without a reply, in one line."""
    text = err.decode("utf-8", "replace")
    if code == -signal.SIGXCPU or code == -signal.SIGKILL:
        return "reading used more CPU time than one import may; stopped"
    if "No space left on device" in text or "File too large" in text:
        return "the disk is full: the file could not be unpacked for reading; free some space"
    if "MemoryError" in text or "std::bad_alloc" in text or "Cannot allocate" in text:
        return (f"reading needs more memory than one import may use ({memory_mb} MB, "
                "CORDON_IMPORT_MEMORY_MB); split the file")
    if code is not None and code < 0:
        return f"the reader crashed on this file (signal {-code}); it may be damaged"
    return "the reader failed on this file; it may be damaged"
