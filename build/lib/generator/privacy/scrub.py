"""Images and drawings from content/pages/ are published with their pixels and shapes only.

Outcome evidence is often a photo, and a photo carries what its camera wrote: the GPS
position, the time, the device's serial number, the author, and in XMP or IPTC whatever
an editing program added. None of it shows on the page, so none of it is checked by eye.
Every image is therefore decoded and written again from its pixels alone (Pillow), with
its colour profile; the copy is read back and refused if anything else is left in it. An
image that cannot be read or written this way stops the build, naming the file.

An SVG drawing keeps its shapes, styles, title and description, and loses its comments,
its <metadata> (author, licence, file names), its document type and what editing
programs store in their own namespaces (Inkscape's file paths, Illustrator's copy of the
whole document, hidden layers included). It is parsed without expanding entities: a
drawing that declares any is refused.

The same bytes always give the same bytes (the build is reproducible).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.dom import minidom
from xml.parsers import expat

from generator.errors import InputError, Location

if TYPE_CHECKING:  # Pillow itself is imported only when an image is published
    from PIL import Image

# The image formats published, by suffix: what Pillow reads and writes again.
IMAGE_FORMATS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".gif": "GIF",
    ".webp": "WEBP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
}
SVG_SUFFIX = ".svg"

# What may be left in a written image's info besides its pixels (Pillow's names).
KEPT_INFO = frozenset({"icc_profile", "transparency", "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"})
KEPT_INFO |= {"progressive", "progression", "adobe", "adobe_transform", "compression", "loop", "duration"}
KEPT_INFO |= {"version", "background", "interlace", "gamma", "aspect", "resolution"}
# TIFF tags that describe the pixels themselves (a TIFF's first directory is read as its EXIF):
# size, layout, compression, colours, resolution and colour profile. Any other tag is metadata.
PIXEL_TAGS = frozenset(
    {254, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 284, 296, 317, 320, 322, 323, 324, 325, 338, 339,
     282, 283, 34675}
)  # fmt: skip

# Namespaces of editing programs: their elements and attributes describe the file, not the drawing.
EDITOR_NAMESPACES = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://ns.adobe.com/AdobeIllustrator/10.0/",
        "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
        "http://ns.adobe.com/Extensibility/1.0/",
        "http://ns.adobe.com/Flows/1.0/",
        "http://ns.adobe.com/Graphs/1.0/",
        "http://ns.adobe.com/ImageReplacement/1.0/",
        "http://ns.adobe.com/SaveForWeb/1.0/",
        "http://ns.adobe.com/Variables/1.0/",
        "http://ns.adobe.com/xap/1.0/",
        "http://www.bohemiancoding.com/sketch/ns",
        "http://www.serif.com/",
        "http://purl.org/dc/elements/1.1/",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }
)
XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/"
RESAVE_IMAGE = "open it in an image editor and save it again as .jpg or .png, then rebuild"


def scrubbed(path: Path, data: bytes) -> bytes:
    """A page file as it is published: images and drawings rewritten (see above), others as they are."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_FORMATS:
        return scrubbed_image(path, data, IMAGE_FORMATS[suffix])
    if suffix == SVG_SUFFIX:
        return scrubbed_svg(path, data)
    return data


# --- images -------------------------------------------------------------------


def _unreadable_image(path: Path, why: str) -> InputError:
    return InputError(
        Location(str(path)),
        f"this image {why}, so what its camera or editor wrote into it (GPS position, time, author) cannot be removed",
        hint=RESAVE_IMAGE,
    )


def scrubbed_image(path: Path, data: bytes, image_format: str) -> bytes:
    """The image written again from its pixels and colour profile only, upright."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            if getattr(image, "n_frames", 1) > 1:
                raise _unreadable_image(path, "has several frames (an animation or several pages)")
            image.load()
            options = _save_options(image, data, image_format)
            # The camera's Orientation goes with the rest of its data: turn the pixels instead.
            pixels = ImageOps.exif_transpose(image).copy()
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _unreadable_image(path, f"cannot be read as {image_format}") from None
    pixels.info = {}  # nothing of the original but the pixels (and the palette, part of them)
    written = io.BytesIO()
    try:
        pixels.save(written, image_format, **options)
    except (OSError, ValueError):
        raise _unreadable_image(path, f"cannot be written again as {image_format}") from None
    clean = written.getvalue()
    left = _metadata_left(clean)
    if left:
        raise _unreadable_image(path, f"still holds {', '.join(left)} once written again")
    return clean


def _save_options(image: Image.Image, data: bytes, image_format: str) -> dict[str, Any]:
    """How to write the pixels again as close to the original as the format allows."""
    options: dict[str, Any] = {}
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    if "transparency" in image.info and image_format in ("PNG", "GIF"):
        options["transparency"] = image.info["transparency"]
    if image_format == "JPEG":
        from PIL import JpegImagePlugin

        # The original's quantisation and sampling: the copy looks the same and weighs about as much.
        options["qtables"] = getattr(image, "quantization", None) or None
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
        options["progressive"] = "progressive" in image.info or "progression" in image.info
    elif image_format == "WEBP":
        # A lossless WebP (its image in a VP8L chunk) stays lossless; a lossy one is written at high quality.
        options["lossless"] = b"VP8L" in data and b"VP8 " not in data
        options["quality"] = 100 if options["lossless"] else 90
        options["method"] = 4
    elif image_format == "TIFF":
        options["compression"] = "tiff_lzw"
    return {name: value for name, value in options.items() if value is not None}


def _metadata_left(data: bytes) -> list[str]:
    """What of a written image is more than pixels and colour profile (read back with Pillow)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        left = sorted(str(key) for key in image.info if key not in KEPT_INFO)
        if any(tag not in PIXEL_TAGS for tag in image.getexif()):
            left.append("EXIF data")
        text = getattr(image, "text", None)  # PNG text chunks
        if text:
            left.append("text chunks")
        segments: list[tuple[str, bytes]] = getattr(image, "applist", [])  # JPEG: APP0 JFIF, APP2 ICC, APP14 Adobe
        if any(marker not in ("APP0", "APP2", "APP14") for marker, _ in segments):
            left.append("application segments")
    return list(dict.fromkeys(left))


# --- SVG drawings --------------------------------------------------------------


class _DeclaresEntities(Exception):
    """An SVG declares entities: they are never expanded."""


def _refuse(*_: object) -> None:
    raise _DeclaresEntities


def _check_no_entities(path: Path, data: bytes) -> None:
    """Parse once with every entity declaration refused, before minidom (which would expand them)."""
    parser = expat.ParserCreate()
    handlers: dict[str, Callable[..., object]] = {
        "EntityDeclHandler": _refuse,
        "UnparsedEntityDeclHandler": _refuse,
        "ExternalEntityRefHandler": _refuse,
    }
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    try:
        parser.Parse(data, True)
    except _DeclaresEntities:
        raise InputError(
            Location(str(path), line=parser.CurrentLineNumber),
            "this SVG drawing declares entities (<!ENTITY …>), which are not read",
            hint="save it again as plain SVG (in Illustrator: File → Export → Export As → SVG), then rebuild",
        ) from None
    except expat.ExpatError as error:
        raise InputError(
            Location(str(path), line=error.lineno),
            "this SVG drawing cannot be read (it is not well-formed XML)",
            hint="open it in a drawing program and save it again as SVG, then rebuild",
        ) from None


def scrubbed_svg(path: Path, data: bytes) -> bytes:
    """The drawing without comments, <metadata>, document type or editing programs' data."""
    _check_no_entities(path, data)
    document = minidom.parseString(data)
    try:
        if document.doctype is not None:
            document.removeChild(document.doctype)
        _strip(document)
        return document.toxml(encoding="utf-8")
    finally:
        document.unlink()


def _strip(node: minidom.Document | minidom.Element) -> None:
    for child in list(node.childNodes):
        if isinstance(child, minidom.Comment) or (
            isinstance(child, minidom.Element)
            and (child.localName == "metadata" or child.namespaceURI in EDITOR_NAMESPACES)
        ):
            node.removeChild(child)
            child.unlink()
        elif isinstance(child, minidom.Element):
            _strip_attributes(child)
            _strip(child)


def _strip_attributes(element: minidom.Element) -> None:
    for attribute in list(element.attributes.values()):
        declares_editor = attribute.namespaceURI == XMLNS_NAMESPACE and attribute.value in EDITOR_NAMESPACES
        if declares_editor or attribute.namespaceURI in EDITOR_NAMESPACES:
            element.removeAttributeNode(attribute)
