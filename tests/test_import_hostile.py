"""Hostile uploads: refused with one clear line, never reading outside the file, never
reaching the network, never running past the time or memory limits.

Fixtures are in tests/fixtures/hostile/ (README.md says what each one tries)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from layers.io.errors import InputError
from layers.io.import_ import import_file
from layers.io.sandbox import read_isolated
from layers.io.sniff import Sniffed
from tests.fixtures.hostile import build

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ROOT = Path(__file__).resolve().parents[1]


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (and answers nothing)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    srv = Listener()
    yield srv
    srv.close()


def _points_geojson(path: Path, n: int = 2) -> Path:
    feats = [{"type": "Feature", "properties": {"name": f"p{i}"},
              "geometry": {"type": "Point", "coordinates": [37.1 + i / 100, 36.2]}}
             for i in range(n)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


@pytest.mark.parametrize("name", ["vrt-passwd.geojson", "vrt-passwd.json", "vrt-passwd.kml",
                                  "vrt-passwd.gpkg", "vrt-passwd.csv", "vrt-store.geojson"])
def test_vrt_in_disguise_is_refused_in_every_accepted_extension(name):
    with pytest.raises(InputError) as err:
        import_file(HOSTILE / name)
    text = str(err.value)
    assert "VRT" in text and "refused" in text
    assert "root:" not in text and "\n" not in text


def test_vrt_pointing_at_a_url_sends_no_request(tmp_path, listener):
    path = build.vrt_as(tmp_path / "remote.geojson",
                        f"/vsicurl/http://127.0.0.1:{listener.port}/data.csv")
    with pytest.raises(InputError, match="VRT"):
        import_file(path)
    # Even handed straight to the reader (as if the sniffing had missed it), GDAL has only the
    # GeoJSON driver: the VRT cannot be opened and no request leaves.
    with pytest.raises(InputError):
        read_isolated(path, str(path), Sniffed("GeoJSON", path.stat().st_size), None)
    time.sleep(0.3)
    assert listener.connections == 0


def test_reader_has_no_network_even_when_a_file_asks_for_it(tmp_path, listener):
    path = tmp_path / "crs.geojson"
    path.write_text((HOSTILE / "crs-link.geojson").read_text().replace(
        "127.0.0.1:9", f"127.0.0.1:{listener.port}"))
    with pytest.raises(InputError, match="linked coordinate system"):
        import_file(path)
    # Past the sniffing, the reader's own network namespace keeps the request in.
    try:
        read_isolated(path, str(path), Sniffed("GeoJSON", path.stat().st_size), None)
    except InputError:
        pass
    time.sleep(0.3)
    assert listener.connections == 0


def test_kml_network_link_is_not_followed(tmp_path, listener):
    path = tmp_path / "linked.kml"
    path.write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<NetworkLink><Link><href>http://127.0.0.1:{listener.port}/more.kml</href></Link>"
        "</NetworkLink><Placemark><name>Clinic</name><Point><coordinates>37.1,36.2"
        "</coordinates></Point></Placemark></Document></kml>")
    gdf = import_file(path)
    assert list(gdf["name"]) == ["Clinic"]
    assert any("network links" in n for n in gdf.attrs["notes"])
    time.sleep(0.3)
    assert listener.connections == 0


def test_entity_expansion_in_kml_is_refused():
    with pytest.raises(InputError, match="DOCTYPE or entities"):
        import_file(HOSTILE / "billion-laughs.kml")


def test_recursive_view_is_skipped_and_refused_by_name(tmp_path):
    path = build.recursive_view_gpkg(tmp_path / "views.gpkg")
    gdf = import_file(path)
    assert sorted(gdf["name"]) == ["Bakery", "Clinic"]
    assert any("'forever'" in n and "view" in n for n in gdf.attrs["notes"])
    with pytest.raises(InputError, match="SQL view"):
        import_file(path, name="forever")


def test_a_reader_that_never_ends_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    path = build.recursive_view_gpkg(tmp_path / "views.gpkg")
    monkeypatch.setenv("CORDON_IMPORT_SECONDS", "4")
    started = time.monotonic()
    # As if the sniffing had let the endless view through: the wall clock still stops it.
    with pytest.raises(InputError, match="longer than 4 s"):
        read_isolated(path, str(path), Sniffed("GPKG", path.stat().st_size), "forever")
    assert time.monotonic() - started < 15


def test_virtual_table_reading_another_file_is_refused(tmp_path):
    path = build.virtual_table_gpkg(tmp_path / "virtual.gpkg")
    with pytest.raises(InputError, match="virtual table"):
        import_file(path)


def test_zip_bomb_kmz_is_refused_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setenv("CORDON_IMPORT_MAX_MB", "5")
    path = build.zip_bomb_kmz(tmp_path / "bomb.kmz", 20)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="unpacks to"):
        import_file(path)


def test_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setenv("CORDON_IMPORT_MAX_MB", "0.01")
    path = _points_geojson(tmp_path / "big.geojson", 200)
    with pytest.raises(InputError, match="CORDON_IMPORT_MAX_MB"):
        import_file(path)


def test_feature_count_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("CORDON_IMPORT_MAX_FEATURES", "5")
    path = _points_geojson(tmp_path / "many.geojson", 10)
    with pytest.raises(InputError, match="10 features"):
        import_file(path)


def test_memory_limit_gives_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with open(path, "w") as fh:
        fh.write("id,latitude,longitude,note\n")
        for i in range(300_000):
            fh.write(f"e{i},36.{i % 1000},37.{i % 997},a note long enough to take some room\n")
    monkeypatch.setenv("CORDON_IMPORT_MEMORY_MB", "600")
    with pytest.raises(InputError, match="more memory than one import may use"):
        import_file(path)
    monkeypatch.setenv("CORDON_IMPORT_MEMORY_MB", "3072")
    assert len(import_file(path)) == 300_000


def test_nul_in_geojson_text_is_refused_not_truncated():
    with pytest.raises(InputError, match="NUL"):
        import_file(HOSTILE / "nul-in-text.geojson")


def test_binary_data_named_csv_or_geojson_is_refused():
    with pytest.raises(InputError, match="binary data"):
        import_file(HOSTILE / "binary.csv")
    with pytest.raises(InputError, match="not GeoJSON"):
        import_file(HOSTILE / "gpkg-named-geojson.geojson")


def test_nul_later_in_a_csv_names_the_line(tmp_path):
    path = tmp_path / "late.csv"
    body = "".join(f"{i},36.2,37.1\n" for i in range(5000))
    path.write_bytes(("id,latitude,longitude\n" + body).encode() + b"9,36\x00,37\n")
    with pytest.raises(InputError) as err:
        import_file(path)
    assert "line 5002" in str(err.value)


def test_integer_geojson_ids_are_kept(tmp_path):
    path = tmp_path / "ids.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": n, "properties": {"name": f"p{n}"},
         "geometry": {"type": "Point", "coordinates": [37.1, 36.2]}} for n in (7, 12, 40)]}))
    gdf = import_file(path)
    assert list(gdf["id"]) == [7, 12, 40]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": n, "properties": {},
         "geometry": {"type": "Point", "coordinates": [37.1, 36.2]}} for n in (0, 1)]}))
    assert list(import_file(path)["id"]) == [0, 1]


def test_cli_refuses_a_disguised_vrt_in_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "layers", "import", str(HOSTILE / "vrt-passwd.geojson"),
         "--into", "stolen"], capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
             "CORDON_STORE": str(tmp_path / "store.gpkg")})
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "VRT" in lines[0] and "Traceback" not in proc.stderr
    assert not (tmp_path / "store.gpkg").exists()
