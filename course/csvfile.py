"""CSV downloads that spreadsheet programs open safely and read correctly.

A cell that starts like a formula (=, +, -, @, a tab or a carriage return) would run as one in
Excel or LibreOffice: a member who names themselves "=HYPERLINK(...)" must not get a link into
their facilitator's spreadsheet. Such text gets a leading apostrophe, which spreadsheets read as
"this is text". A UTF-8 byte order mark first makes Excel read accents right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    """The value, with text that a spreadsheet would take for a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The whole file: a byte order mark, the header, then the rows, every cell made safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A CSV file to download as `name`, never kept in a shared cache."""
    return Response(
        csv_text(header, rows), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store"},
    )
