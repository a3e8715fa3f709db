"""What leaves Alianza as files: the tables (CSV and XLSX datasets, which other apps add to
with ``register_dataset``), the IATI activity file and its rules (schema, code lists), the text
each format can carry, and the download pages. The names below are the tables' API."""

from .tables import (
    FORMATS,
    PARTNERSHIP_COLUMNS,
    Dataset,
    datasets,
    download,
    partnership_cells,
    register_dataset,
    render,
)

__all__ = [
    "FORMATS",
    "PARTNERSHIP_COLUMNS",
    "Dataset",
    "datasets",
    "download",
    "partnership_cells",
    "register_dataset",
    "render",
]
