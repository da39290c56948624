"""Open data: every published outcome as outcomes.csv and outcomes.json, and the page describing them.

Built from the SiteIndex (public fragments only), with the fields listed in FIELDS
and nothing else: a column an export adds is never in a Fragment, so never here.
Rows keep the site's order (newest first, then ID), so a rebuild writes the same bytes.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from generator.feed import FEED_PATH, FEED_SIZE
from generator.indexes import SiteIndex, fragment_path
from generator.model import Fragment
from generator.render import Renderer
from generator.site_config import SiteConfig

CSV_PATH = "outcomes.csv"
JSON_PATH = "outcomes.json"
PAGE_PATH = "open-data.md"
CSV_LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula: such text gets a leading '.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Field:
    """A field of the open data. Its name is the same in every language (a data format); on the
    page, its type and meaning are the labels type_<type> and field_<name> of templates/labels.yml."""

    name: str
    type: str  # as documented for outcomes.json


FIELDS: tuple[Field, ...] = (
    Field("fragment_id", "string"),
    Field("url", "string"),
    Field("title", "string"),
    Field("description", "string"),
    Field("significance", "string"),
    Field("contribution", "string"),
    Field("other_actors", "string"),
    Field("evidence", "string"),
    Field("additional_info", "string"),
    Field("country", "string or null"),
    Field("year", "integer or null"),
    Field("harvest_period", "string or null"),
    Field("status", "string or null"),
    Field("objective_code", "string or null"),
    Field("objective_label", "string or null"),
    Field("outcome_codes", "array of strings"),
    Field("output_codes", "array of strings"),
    Field("change_types", "array of strings"),
    Field("change_cluster", "string or null"),
    Field("rating_significance", "string or null"),
    Field("rating_contribution", "string or null"),
    Field("social_actor", "string or null"),
    Field("scale", "string or null"),
    Field("unintended", "boolean or null"),
    Field("negative", "boolean or null"),
)


def field_text(field: Field, labels: dict[str, Any]) -> dict[str, str]:
    """A field as the open-data page shows it: its name, and its type and meaning in the site's language."""
    return {
        "name": field.name,
        "type": labels["type_" + field.type.replace(" ", "_")],
        "meaning": labels["field_" + field.name],
    }


def record(fragment: Fragment, site: SiteConfig) -> dict[str, Any]:
    """One outcome as the open data gives it: exactly the FIELDS, in their order."""
    objective = fragment.objective
    values: dict[str, Any] = {
        "url": site.absolute_url(fragment_path(fragment)),
        "objective_code": objective.code if objective else None,
        "objective_label": (objective.label or None) if objective else None,
        "outcome_codes": list(fragment.outcome_codes),
        "output_codes": list(fragment.output_codes),
        "change_types": list(fragment.change_types),
    }
    return {f.name: values[f.name] if f.name in values else getattr(fragment, f.name) for f in FIELDS}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = CSV_LIST_SEPARATOR.join(value)
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def to_csv(records: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows accents right; one header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in FIELDS])
    for row in records:
        writer.writerow([_csv_cell(row[f.name]) for f in FIELDS])
    return out.getvalue().encode("utf-8-sig")


# <, > and & only ever stand inside JSON strings, where \u003c… means the same: the data
# reads back exactly, and no markup stands in the file for a browser that sniffs it as HTML.
_JSON_MARKUP = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def to_json(records: list[dict[str, Any]]) -> bytes:
    # One record per line: readable, and json's C encoder (indent= would fall back to Python).
    text = "[\n" + ",\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n]"
    for character, escape in _JSON_MARKUP.items():  # str.replace: translate() is slow on megabytes
        text = text.replace(character, escape)
    return (text + "\n").encode("utf-8")


def open_data_files(index: SiteIndex, renderer: Renderer, site: SiteConfig) -> dict[str, bytes]:
    """outcomes.csv, outcomes.json and the page that documents them, by docs path."""
    records = [record(fragment, site) for fragment in index.fragments]
    t = renderer.t
    page = renderer.render(
        "open_data",
        PAGE_PATH,
        t["open_data"],
        fields=[field_text(field, t) for field in FIELDS],
        count=len(records),
        csv_path=CSV_PATH,
        json_path=JSON_PATH,
        list_separator=CSV_LIST_SEPARATOR,
        feed_path=FEED_PATH,
        feed_size=FEED_SIZE,
    )
    return {CSV_PATH: to_csv(records), JSON_PATH: to_json(records), page.path: page.text.encode("utf-8")}
