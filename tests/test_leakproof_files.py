"""Leak-proof, second round: the files an editor leaves in content/ (issue 18, classes 3, 5 and 9).

One test group per class of attack, as in tests/test_leakproof.py:
- the sheet the editor sees: a workbook's hidden sheets are never read, a workbook that
  expands past its limits stops within seconds, and a data file that is not read stops
  the build instead of being skipped without a word;
- nothing copied that the guard cannot read: content/pages/ publishes pages, style
  sheets, drawings and images only, never a container;
- images carry nothing but pixels: no GPS position, camera or author reaches the site.

Every marker of what must not be published (CANARY…) is looked for in what a user or a
visitor sees: the report, the errors, the docs folder and the built site.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from PIL import ExifTags, Image

from generator.privacy.scrub import scrubbed
from generator.read import xlsx_files
from generator.read.xlsx_files import MAX_SHEET_CELLS, MAX_WORKBOOK_BYTES
from support import ROOT, readable_text, run_cli_in_process, scratch_project, write_fragment

PROJECT = scratch_project("okb-leakproof-files-")


def run(*argv: str) -> subprocess.CompletedProcess:
    """`python -m generator ARGV` in this process, with the module's own project."""
    return run_cli_in_process(argv[0], "--config", str(PROJECT / "mkdocs.yml"), *argv[1:])


def tree_text(*folders: Path) -> str:
    """Every file and folder name under the folders, and every file's readable text."""
    return "\n".join(
        part
        for folder in folders
        for path in sorted(folder.rglob("*"))
        for part in (str(path.relative_to(folder)), readable_text(path.read_bytes()) if path.is_file() else "")
    )


# ===================================================================== 3. the sheet the editor sees

HEADER = ["FragmentID", "Confidential", "Country", "Year", "Outcome description"]
PUBLIC_ROW = ["P-1", "0", "Mali", "2023", "Women traders in Sikasso formed a committee."]
SECRET_ROW = ["CANARYVIS-2", "1", "Canaryland", "2023", "CANARYVISDESC the envoy met the militia."]
ARCHIVE_ROW = ["CANARYHID-9", "0", "Canarystan", "2019", "CANARYHIDDESC an old record flagged public."]
SHEET_MARKERS = ("CANARYVIS", "Canaryland", "CANARYHID", "Canarystan", "CANARYARCHIVE")


def workbook_with_hidden_first_sheet(path: Path, state: str) -> Path:
    """An old archive tab first, hidden, whose rows say 'publish'; the tab the editor sees second."""
    workbook = openpyxl.Workbook()
    archive = workbook.active
    archive.title = "CANARYARCHIVE witnesses"
    for row in (HEADER, ARCHIVE_ROW):
        archive.append(row)
    archive.sheet_state = state
    outcomes = workbook.create_sheet("Outcomes")
    for row in (HEADER, PUBLIC_ROW, SECRET_ROW):
        outcomes.append(row)
    workbook.active = 1
    workbook.save(path)
    return path


def small_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    for row in (HEADER, PUBLIC_ROW):
        workbook.active.append(row)
    workbook.save(path)
    return path


def rewrite_part(path: Path, name: str, change) -> None:
    """The workbook with one of its parts changed by `change` (bytes -> bytes)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


class TestTheSheetTheEditorSees:
    @pytest.mark.parametrize("state", ["hidden", "veryHidden"])
    def test_a_hidden_first_sheet_is_never_read_and_the_report_names_the_sheet_read(self, tmp_path, state):
        content = tmp_path / "content"
        content.mkdir()
        path = workbook_with_hidden_first_sheet(content / "harvest.xlsx", state)
        result = run("check", "--content", str(content))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(
            "Fragments read:\n"
            f"       2  {path}, sheet 'Outcomes' (1 hidden sheet skipped: never read)\n"
            "Published: 1 of 2\n"
            "Held back (not published): 1\n"
        ), result.stdout
        for marker in SHEET_MARKERS:
            assert marker.lower() not in (result.stdout + result.stderr).lower(), marker
        docs = tmp_path / "docs"
        assert run("generate", "--content", str(content), "--docs-dir", str(docs)).returncode == 0
        text = tree_text(docs).lower()
        assert "p-1" in text
        for marker in SHEET_MARKERS:
            assert marker.lower() not in text, marker

    def test_a_redacted_name_in_the_sheet_name_is_masked_in_the_report(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        (content / "redact.txt").write_text("Amina Diallo\n", encoding="utf-8")
        workbook = openpyxl.Workbook()
        workbook.active.title = "Amina Diallo"
        for row in (HEADER, PUBLIC_ROW):
            workbook.active.append(row)
        workbook.save(content / "harvest.xlsx")
        result = run("check", "--content", str(content))
        assert result.returncode == 0, result.stderr
        assert f"       1  {content / 'harvest.xlsx'}, sheet '[redacted]'\n" in result.stdout
        assert "amina" not in result.stdout.lower()

    def test_a_workbook_whose_parts_expand_past_the_limit_stops_before_it_is_parsed(self, tmp_path):
        """A zip bomb: a few hundred kB that declare over 200 MB of sheet XML."""
        path = small_workbook(tmp_path / "bomb.xlsx")
        with (
            zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
            archive.open("xl/worksheets/padding.xml", "w", force_zip64=True) as part,
        ):
            block = b" " * 1_000_000
            for _ in range(MAX_WORKBOOK_BYTES // len(block) + 1):
                part.write(block)
        assert path.stat().st_size < 2_000_000
        started = time.perf_counter()
        result = run("check", "--content", str(path))
        assert time.perf_counter() - started < 5
        assert result.returncode == 1
        assert result.stderr == (
            f"Error: {path}: the workbook expands to 201 MB when opened, more than the 200 MB allowed "
            "(keep only the outcomes in the workbook (delete empty rows and columns below and to the right of "
            "them), or split it into several files)\n"
        )

    def test_a_sheet_that_declares_too_many_cells_stops_before_its_rows_are_read(self, tmp_path):
        path = small_workbook(tmp_path / "wide.xlsx")
        rewrite_part(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b'<dimension ref="A1:E2" />', b'<dimension ref="A1:Z1000000" />'),
        )
        result = run("check", "--content", str(path))
        assert result.returncode == 1
        assert result.stderr.startswith(
            f"Error: {path}: the sheet 'Sheet' has 26,000,000 cells, more than the {MAX_SHEET_CELLS:,} allowed ("
        ), result.stderr

    def test_a_sheet_of_a_million_rows_in_a_few_kilobytes_stops_before_it_is_parsed(self, tmp_path):
        """One cell far down, no declared size: openpyxl would yield every empty row before it."""
        path = small_workbook(tmp_path / "long.xlsx")
        far = b'<row r="1000002"><c r="A1000002" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'

        def change(xml: bytes) -> bytes:
            assert b'<dimension ref="A1:E2" />' in xml
            return xml.replace(b'<dimension ref="A1:E2" />', b"").replace(b"</sheetData>", far)

        rewrite_part(path, "xl/worksheets/sheet1.xml", change)
        started = time.perf_counter()
        result = run("check", "--content", str(path))
        assert time.perf_counter() - started < 5
        assert result.returncode == 1
        assert result.stderr == (
            f"Error: {path}: a sheet of the workbook has more than the 1,000,000 cells allowed (keep only the "
            "outcomes in the workbook (delete empty rows and columns below and to the right of them), "
            "or split it into several files)\n"
        )

    def test_cells_are_counted_while_the_sheet_is_read(self, tmp_path, monkeypatch):
        """A cell far to the right: openpyxl gives every empty cell before it, which no count of
        the stored cells sees. The limit is lowered for the test; the counting is the same."""
        monkeypatch.setattr(xlsx_files, "MAX_SHEET_CELLS", 1_000)
        path = small_workbook(tmp_path / "wide.xlsx")
        far = b"".join(
            b'<row r="%d"><c r="BZ%d" t="inlineStr"><is><t>x</t></is></c></row>' % (row, row) for row in range(3, 23)
        )
        rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"))
        result = run("check", "--content", str(path))
        assert result.returncode == 1
        assert result.stderr == (
            f"Error: {path}: the sheet 'Sheet' has more than the 1,000 cells allowed (keep only the "
            "outcomes in the workbook (delete empty rows and columns below and to the right of them), "
            "or split it into several files)\n"
        )

    @pytest.mark.parametrize(
        "name, message, hint",
        [
            (
                "harvest.xlsm",
                "'.xlsm' files are not read, so the outcomes in this file would be left out",
                "save it as .xlsx or .csv (File → Save As), then move this copy out of content/",
            ),
            (
                "harvest.ods",
                "'.ods' files are not read, so the outcomes in this file would be left out",
                "save it as .xlsx or .csv (File → Save As), then move this copy out of content/",
            ),
            (
                "old/harvest-2019.XLS",
                "'.xls' files are not read, so the outcomes in this file would be left out",
                "save it as .xlsx or .csv (File → Save As), then move this copy out of content/",
            ),
            (
                "export.tsv",
                "'.tsv' files are not read, so the outcomes in this file would be left out",
                "save it as .xlsx or .csv (File → Save As), then move this copy out of content/",
            ),
            (
                "harvest.numbers",
                "'.numbers' files are not read, so the outcomes in this file would be left out",
                "save it as .xlsx or .csv (File → Save As), then move this copy out of content/",
            ),
            (
                "outcome-12.docx",
                "'.docx' files are not read, so the outcomes in this file would be left out",
                "write each outcome into a .txt file (copy content/templates/outcome-template.txt), "
                "then move this file out of content/",
            ),
            (
                "outcome-13.md",
                "this file has **Field**: lines like an outcome record, but '.md' files are not read",
                "rename it to .txt to have it read, or move it out of content/",
            ),
            (
                "fragments/fields.yml",
                "this file is not read: only the one at the top of the content folder is",
                "move it to the top of the content folder, or out of content/",
            ),
            (
                "export.csv.bak",
                "this file is not read: outcome records must be .xlsx, .csv or .txt files",
                "move it out of content/ (hand-written pages and the images they show go in content/pages/)",
            ),
        ],
    )
    def test_a_data_file_that_is_not_read_stops_the_build_naming_it(self, tmp_path, name, message, hint):
        content = tmp_path / "content"
        content.mkdir()
        write_fragment(content, "ok")
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("**FragmentID**: CANARYUNREAD-1\n**Confidential**: 0\n", encoding="utf-8")
        result = run("check", "--content", str(content))
        assert result.returncode == 1
        assert result.stderr == f"Error: {path}: {message} ({hint})\n"
        assert "CANARYUNREAD" not in result.stdout + result.stderr

    def test_notes_templates_and_windows_files_are_left_alone(self, tmp_path):
        content = tmp_path / "content"
        (content / "templates").mkdir(parents=True)
        write_fragment(content, "ok")
        (content / "README.md").write_text("# Our outcomes\n\nExports go in fragments/.\n", encoding="utf-8")
        (content / "templates" / "blank.ods").write_bytes(b"PK\x03\x04")
        (content / "Thumbs.db").write_bytes(b"\x00\x01")
        (content / "fields.yml").write_text("Country: [Location of change]\n", encoding="utf-8")
        result = run("check", "--content", str(content))
        assert result.returncode == 0, result.stderr
        assert "Published: 1 of 1\n" in result.stdout


# ===================================================================== 5. nothing copied that the guard cannot read

RECORDS_IN_PAGES = (
    "outcome records belong in content/fragments/, not content/pages/ (files there are published as they are)"
)
NOT_PUBLISHED = (
    "'{suffix}' files are not published: the leak check cannot read inside them. Only pages (.md, .html, .txt), "
    "style sheets (.css), drawings (.svg) and images (.jpg, .png, .gif, .webp, .tif) are published from "
    "content/pages/ ({hint})"
)
MOVE_IT = "publish what it says as a page (.md), or move it out of content/pages/"


def zipped(names: list[str]) -> bytes:
    """A container (zip, xlsx, docx, odt… are all zips) holding a held-back record."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name in names:
            archive.writestr(name, "FragmentID,Confidential\nCANARYZIP-1,1\n")
    return data.getvalue()


class TestNothingCopiedThatTheGuardCannotRead:
    @pytest.mark.parametrize(
        "name, expected",
        [
            ("evidence.zip", NOT_PUBLISHED.format(suffix=".zip", hint=MOVE_IT)),
            ("report.docx", NOT_PUBLISHED.format(suffix=".docx", hint=MOVE_IT)),
            ("report.pdf", NOT_PUBLISHED.format(suffix=".pdf", hint=MOVE_IT)),
            ("slides.pptx", NOT_PUBLISHED.format(suffix=".pptx", hint=MOVE_IT)),
            ("notes.odt", NOT_PUBLISHED.format(suffix=".odt", hint=MOVE_IT)),
            ("backup.7z", NOT_PUBLISHED.format(suffix=".7z", hint=MOVE_IT)),
            ("backup.tar.gz", NOT_PUBLISHED.format(suffix=".gz", hint=MOVE_IT)),
            (
                "tracker.js",
                "this is a script; the site runs no script of a hand-written page (remove the file from content/pages/)",
            ),
            ("photo.heic", NOT_PUBLISHED.format(suffix=".heic", hint="save it as .jpg or .png")),
            ("img/old/export.xlsm", RECORDS_IN_PAGES),
            ("export.ods", RECORDS_IN_PAGES),
            ("export.xlsx", RECORDS_IN_PAGES),
            ("outcome.md", RECORDS_IN_PAGES),
        ],
    )
    def test_a_file_the_guard_cannot_read_is_refused_naming_it(self, tmp_path, name, expected):
        content = tmp_path / "content"
        content.mkdir()
        write_fragment(content, "ok")
        path = content / "pages" / name
        path.parent.mkdir(parents=True)
        if name.endswith(".md"):
            path.write_text("**FragmentID**: CANARYZIP-1\n**Confidential**: 1\n", encoding="utf-8")
        else:
            path.write_bytes(zipped(["content.xml", "xl/worksheets/sheet1.xml"]))
        result = run("generate", "--content", str(content), "--docs-dir", str(tmp_path / "docs"))
        assert result.returncode == 1
        assert result.stderr == f"Error: {path}: {expected}\n"
        assert not (tmp_path / "docs").exists()

    def test_hidden_files_are_neither_refused_nor_published(self, tmp_path):
        content = tmp_path / "content"
        (content / "pages" / ".git").mkdir(parents=True)
        write_fragment(content, "ok")
        (content / "pages" / "about.md").write_text("# About\n\nWho we are.\n", encoding="utf-8")
        (content / "pages" / ".DS_Store").write_bytes(b"\x00CANARYDS")
        (content / "pages" / ".git" / "pack.zip").write_bytes(zipped(["x.xml"]))
        docs = tmp_path / "docs"
        result = run("generate", "--content", str(content), "--docs-dir", str(docs))
        assert result.returncode == 0, result.stderr
        assert (docs / "about.md").is_file()
        assert "CANARY" not in tree_text(docs) and not (docs / ".git").exists()


# ===================================================================== 9. images carry nothing but pixels

GPS_LATITUDE = (12.0, 39.0, 7.5)


def camera_exif(orientation: int = 1) -> bytes:
    """What a phone writes: its make and serial, the time, and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CANARYCAM"
    exif[ExifTags.Base.Artist] = "Amina Diallo"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.DateTime] = "2025:03:14 09:26:53"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "CANARYSERIAL"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (8.0, 0.0, 2.0)
    return exif.tobytes()


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>CANARYXMP</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)
IMAGE_MARKERS = (b"CANARY", b"Amina", b"GPS", b"Exif", b"xmpmeta", b"2025:03:14")


def photo(image_format: str, orientation: int = 1) -> bytes:
    """A 40×20 photo in `image_format`, carrying EXIF (GPS included), XMP and a comment where the format can."""
    picture = Image.new("RGB", (40, 20), (200, 30, 30))
    picture.paste((30, 30, 200), (0, 0, 10, 20))  # a blue stripe on the left, to see which way is up
    options: dict[str, object] = {"exif": camera_exif(orientation)}
    if image_format == "JPEG":
        options |= {"xmp": XMP, "comment": b"CANARYCOMMENT"}
    elif image_format == "WEBP":
        options |= {"xmp": XMP}
    elif image_format == "PNG":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "CANARYPNGTEXT")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options |= {"pnginfo": text}
    elif image_format == "GIF":
        picture = picture.convert("P")
        options = {"comment": b"CANARYCOMMENT"}
    data = io.BytesIO()
    picture.save(data, image_format, **options)
    return data.getvalue()


SVG_WITH_METADATA = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Drawn by CANARYSVGCOMMENT for the field office -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
     width="40" height="20" sodipodi:docname="CANARYSVGDOC.svg" inkscape:export-filename="/home/CANARYSVGUSER/map.png">
  <title>Our districts</title>
  <metadata><rdf:RDF><dc:creator>CANARYSVGAUTHOR</dc:creator></rdf:RDF></metadata>
  <sodipodi:namedview id="view" inkscape:current-layer="layer"/>
  <g inkscape:label="CANARYSVGLAYER"><rect width="20" height="20" fill="#c81e1e"/><!-- CANARYSVGINNER --></g>
</svg>
"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory) -> Path:
    """A site whose About page shows a photo of each format and a drawing, all full of metadata."""
    tmp = tmp_path_factory.mktemp("photos")
    content = tmp / "content"
    pages = content / "pages"
    (pages / "img").mkdir(parents=True)
    write_fragment(content, "ok")
    files = {
        "img/field.jpg": photo("JPEG", orientation=6),
        "img/chart.png": photo("PNG"),
        "img/meeting.webp": photo("WEBP"),
        "img/scan.tif": photo("TIFF"),
        "img/logo.gif": photo("GIF"),
        "img/map.svg": SVG_WITH_METADATA,
    }
    for name, data in files.items():
        (pages / name).write_bytes(data)
    images = "\n".join(f"![{name}]({name})" for name in files)
    (pages / "about.md").write_text(f"# About\n\nOur work in pictures.\n\n{images}\n", encoding="utf-8")
    result = run("build", "--content", str(content), "--site-dir", str(tmp / "site"), "--docs-dir", str(tmp / "docs"))
    assert result.returncode == 0, result.stderr
    return tmp


class TestImagesCarryNothingButPixels:
    @pytest.mark.parametrize("name", ["field.jpg", "chart.png", "meeting.webp", "scan.tif", "logo.gif"])
    def test_a_published_photo_has_no_gps_position_camera_or_author(self, photo_site, name):
        for folder in ("site/img", "docs/img"):
            data = (photo_site / folder / name).read_bytes()
            for marker in IMAGE_MARKERS:
                assert marker not in data, (folder, name, marker)
            with Image.open(io.BytesIO(data)) as image:
                exif = image.getexif()
                assert ExifTags.IFD.GPSInfo not in exif and not exif.get_ifd(ExifTags.IFD.GPSInfo)
                assert not {ExifTags.Base.Make, ExifTags.Base.Artist, ExifTags.Base.DateTime} & set(exif)
                assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info)
                assert not getattr(image, "text", None)

    def test_a_photo_taken_sideways_is_published_upright(self, photo_site):
        """The camera's Orientation tag goes with its other data, so the pixels are turned instead."""
        with Image.open(photo_site / "site/img/field.jpg") as image:
            assert image.size == (20, 40)
            top_left, bottom_left = image.getpixel((2, 2)), image.getpixel((2, 37))
        assert top_left[2] > 150 > top_left[0]  # the blue stripe, once on the left, is on top
        assert bottom_left[0] > 150 > bottom_left[2]

    def test_a_published_drawing_keeps_its_shapes_and_loses_comments_metadata_and_editor_data(self, photo_site):
        data = (photo_site / "site/img/map.svg").read_bytes()
        assert data == (
            b'<?xml version="1.0" encoding="utf-8"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">\n'
            b"  <title>Our districts</title>\n  \n  \n"
            b'  <g><rect width="20" height="20" fill="#c81e1e"/></g>\n</svg>'
        )

    def test_the_same_image_gives_the_same_bytes_in_another_process(self, tmp_path):
        source = tmp_path / "field.jpg"
        source.write_bytes(photo("JPEG", orientation=6))
        here = scrubbed(source, source.read_bytes())
        script = (
            "import sys; from pathlib import Path; from generator.privacy.scrub import scrubbed; "
            "p = Path(sys.argv[1]); sys.stdout.buffer.write(scrubbed(p, p.read_bytes()))"
        )
        there = subprocess.run(
            [sys.executable, "-c", script, str(source)], capture_output=True, check=True, cwd=ROOT
        ).stdout
        assert here == there

    @pytest.mark.parametrize(
        "name, data, message",
        [
            (
                "photo.jpg",
                b"This is not a photo: CANARYNOTJPEG",
                "this image cannot be read as JPEG, so what its camera or editor wrote into it (GPS position, time, "
                "author) cannot be removed (open it in an image editor and save it again as .jpg or .png, then rebuild)",
            ),
            (
                "map.svg",
                b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "CANARYENTITY">]>\n'
                b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
                "this SVG drawing declares entities (<!ENTITY …>), which are not read (save it again as plain SVG "
                "(in Illustrator: File → Export → Export As → SVG), then rebuild)",
            ),
        ],
    )
    def test_an_image_whose_metadata_cannot_be_removed_stops_the_build_naming_it(self, tmp_path, name, data, message):
        content = tmp_path / "content"
        (content / "pages").mkdir(parents=True)
        write_fragment(content, "ok")
        path = content / "pages" / name
        path.write_bytes(data)
        result = run("generate", "--content", str(content), "--docs-dir", str(tmp_path / "docs"))
        assert result.returncode == 1
        assert result.stderr.startswith(f"Error: {path}"), result.stderr
        assert result.stderr.endswith(f": {message}\n"), result.stderr
        assert "CANARY" not in result.stdout + result.stderr
        assert not (tmp_path / "docs").exists()

    def test_an_animation_is_refused_rather_than_published_with_its_frames_metadata(self, tmp_path):
        frames = [Image.new("RGB", (8, 8), colour).convert("P") for colour in ("red", "blue")]
        data = io.BytesIO()
        frames[0].save(data, "GIF", save_all=True, append_images=frames[1:], comment=b"CANARYFRAME")
        path = tmp_path / "wave.gif"
        path.write_bytes(data.getvalue())
        with pytest.raises(Exception, match="has several frames") as refused:
            scrubbed(path, path.read_bytes())
        assert str(refused.value).startswith(f"{path}: this image has several frames")
