"""GIS exchange: export a selection, import a user's file (one module per job)."""

from layers.io.errors import InputError
from layers.io.export import FORMATS, ExportError, export, export_bytes
from layers.io.import_ import import_file

__all__ = ["FORMATS", "ExportError", "InputError", "export", "export_bytes", "import_file"]
