"""Open data: every published outcome as outcomes.csv and outcomes.json, and the page describing them.

Built from the SiteIndex (public fragments only), with the open-data columns of the table
of fields and nothing else: a column an export adds is never in a Fragment, so never here.
Rows keep the site's order (newest first, then ID), so a rebuild writes the same bytes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Any

from generator import folders
from generator.fields import Column, FieldTable
from generator.model import Fragment
from generator.pages.feed import FEED_PATH, FEED_SIZE
from generator.pages.fragment_view import opendata_value
from generator.pages.indexes import SiteIndex, fragment_path
from generator.pages.renderer import Renderer
from generator.pages.reuse import Compute, Reuse
from generator.site_config import SiteConfig

CSV_PATH = folders.OPEN_DATA_CSV
JSON_PATH = folders.OPEN_DATA_JSON
PAGE_PATH = folders.OPEN_DATA
CSV_LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula: such text gets a leading '.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Columns that no field holds: the page's address and the title made from the description.
# They follow the ID; every other column comes from the table of fields (generator/fields.py).
DERIVED = (Column("url", "string"), Column("title", "string"))


def columns(table: FieldTable) -> tuple[Column, ...]:
    """The open data's columns, in order: the ID, the derived ones, then each published field's."""
    by_field = [column for entry in table.published for column in entry.opendata]
    return (*by_field[:1], *DERIVED, *by_field[1:])


def field_text(column: Column, labels: dict[str, Any]) -> dict[str, str]:
    """A column as the open-data page shows it: its name, and its type and meaning in the
    site's language (labels type_<type> and field_<name> of templates/labels.yml)."""
    return {
        "name": column.name,
        "type": labels["type_" + column.type.replace(" ", "_")],
        "meaning": labels["field_" + column.name],
    }


def record(fragment: Fragment, site: SiteConfig, table: FieldTable) -> dict[str, Any]:
    """One outcome as the open data gives it: exactly the columns, in their order."""
    values: dict[str, Any] = {"url": site.absolute_url(fragment_path(fragment)), "title": fragment.title}
    for entry in table.published:
        for column in entry.opendata:
            value = opendata_value(fragment.value(entry.key), column, site.language)
            values[column.name] = list(value) if isinstance(value, tuple) else value
    return {column.name: values[column.name] for column in columns(table)}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = CSV_LIST_SEPARATOR.join(value)
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def csv_row(record: dict[str, Any], names: list[str]) -> str:
    """One record as a line of outcomes.csv (with its line end)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_csv_cell(record[name]) for name in names])
    return out.getvalue()


def csv_text(rows: list[str], names: list[str]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows accents right; one header row."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(names)
    return (out.getvalue() + "".join(rows)).encode("utf-8-sig")


# <, > and & only ever stand inside JSON strings, where \u003c… means the same: the data
# reads back exactly, and no markup stands in the file for a browser that sniffs it as HTML.
_JSON_MARKUP = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def json_line(record: dict[str, Any]) -> str:
    """One record as a line of outcomes.json (without the comma between records)."""
    # json's C encoder on one record a line (indent= would fall back to Python).
    text = json.dumps(record, ensure_ascii=False)
    for character, escape in _JSON_MARKUP.items():  # str.replace: translate() is slower
        text = text.replace(character, escape)
    return text


def json_text(lines: list[str]) -> bytes:
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


Lines = tuple[str, str]  # one record's line of outcomes.csv and of outcomes.json


def open_data_lines(fragment: Fragment, site: SiteConfig, table: FieldTable, names: list[str]) -> Lines:
    made = record(fragment, site, table)
    return csv_row(made, names), json_line(made)


def open_data_files(
    index: SiteIndex, renderer: Renderer, site: SiteConfig, reuse: Reuse[Lines] | None = None
) -> dict[str, bytes]:
    """outcomes.csv, outcomes.json and the page that documents them, by docs path.

    reuse: each fragment's lines from the last generation with the same site and table
    (a preview's), reused when the fragment is the same; a build makes each line once."""
    names = [column.name for column in columns(renderer.table)]
    kept: Reuse[Lines] = reuse if reuse is not None else Compute()
    lines = [
        kept.get(
            fragment.fragment_id, fragment, functools.partial(open_data_lines, fragment, site, renderer.table, names)
        )
        for fragment in index.fragments
    ]
    t = renderer.t
    page = renderer.render(
        "open_data",
        PAGE_PATH,
        t["open_data"],
        fields=[field_text(column, t) for column in columns(renderer.table)],
        count=len(lines),
        csv_path=CSV_PATH,
        json_path=JSON_PATH,
        list_separator=CSV_LIST_SEPARATOR,
        feed_path=FEED_PATH,
        feed_size=FEED_SIZE,
    )
    return {
        CSV_PATH: csv_text([row for row, _ in lines], names),
        JSON_PATH: json_text([line for _, line in lines]),
        page.path: page.text.encode("utf-8"),
    }
