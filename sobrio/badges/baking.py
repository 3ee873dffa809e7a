"""Badge images: checking what an officer uploads, the default artwork, and baking —
an Open Badges PNG carries its assertion in an iTXt chunk (keyword `openbadges` for 2.0,
`openbadgecredential` for 3.0), an SVG in an <openbadges:assertion> element.

Everything here reads bytes already bounded in size (the upload limits), and a PNG is
walked chunk by chunk without decoding its pixels."""

import functools
import io
import re
import zlib
from xml.sax.saxutils import quoteattr

import png
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

OB2 = "openbadges"
OB3 = "openbadgecredential"
KEYWORDS = (OB2, OB3)
MAX_PNG_BYTES = 512 * 1024
MAX_SVG_BYTES = 256 * 1024
MAX_SIDE = 2048
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# What a badge's flat artwork needs, and nothing that runs, animates or fetches: an
# allowlist (a list of what is forbidden always misses something: <set>, <animate>,
# <handler>, CSS @import…). <metadata> (an editor's RDF) is kept but not looked into.
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
    "text", "tspan", "textPath", "style",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood",
    "feGaussianBlur", "feMerge", "feMergeNode", "feOffset", "feDropShadow", "feFuncA",
    "feFuncR", "feFuncG", "feFuncB", "feMorphology",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "id", "class", "style", "transform", "viewBox", "width", "height", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow",
    "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits",
    "filter", "filterUnits", "primitiveUnits", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
    "patternContentUnits", "patternTransform", "preserveAspectRatio", "version",
    "baseProfile", "font-family", "font-size", "font-weight", "font-style", "font-variant",
    "font-stretch", "text-anchor", "dominant-baseline", "alignment-baseline",
    "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "href", "in", "in2",
    "result", "stdDeviation", "mode", "type", "values", "operator", "k1", "k2", "k3", "k4",
    "radius", "slope", "intercept", "amplitude", "exponent", "tableValues",
    "flood-color", "flood-opacity", "lighting-color", "markerWidth", "markerHeight", "refX",
    "refY", "orient", "markerUnits", "paint-order", "vector-effect", "shape-rendering",
    "image-rendering", "text-rendering", "color-interpolation", "color-interpolation-filters",
    "mix-blend-mode", "isolation", "enable-background", "role", "aria-label", "aria-hidden",
    "focusable", "lang", "space", "media",
}  # fmt: skip
RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


class BadImage(ValueError):
    pass


# --- checking uploads ----------------------------------------------------------------------


def check_png(data):
    """The PNG's bytes if they are a PNG of reasonable size; BadImage says why not."""
    if len(data) > MAX_PNG_BYTES:
        raise BadImage(_("Image trop lourde : %(n)s Ko au plus.") % {"n": MAX_PNG_BYTES // 1024})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise BadImage(_("Ce fichier n'est pas une image PNG."))
            width, height = image.size
            if max(width, height) > MAX_SIDE or min(width, height) < 16:
                raise BadImage(
                    _("Image de %(w)s × %(h)s pixels : entre 16 et %(max)s pixels de côté.")
                    % {"w": width, "h": height, "max": MAX_SIDE}
                )
            image.verify()
        list(_chunks(data))  # the baker must be able to walk it
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError, png.Error):  # fmt: skip
        raise BadImage(_("Ce fichier n'est pas une image PNG lisible.")) from None
    return data


def _css_is_inert(text):
    """No import, no script, and url() only to the image's own elements (url(#id))."""
    if CSS_DANGER.search(text):
        return False
    return all(target.strip().startswith("#") for _q, target in CSS_URL.findall(text))


def check_svg(data):
    """The SVG's text if every element and attribute is of the allowlist above, its links
    point inside the image (or to an embedded PNG/JPEG), and its CSS fetches and runs
    nothing: it is served from Sobrio's own address, and downloaded as it is."""
    if len(data) > MAX_SVG_BYTES:
        raise BadImage(_("Image trop lourde : %(n)s Ko au plus.") % {"n": MAX_SVG_BYTES // 1024})
    try:
        text = data.decode("utf-8")
        root = ElementTree.fromstring(text, forbid_dtd=True)
    except (UnicodeDecodeError, ElementTree.ParseError, DefusedXmlException):
        raise BadImage(_("Ce fichier n'est pas un SVG lisible (XML en UTF-8, sans DTD).")) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise BadImage(_("Ce fichier n'est pas un SVG : son élément racine n'est pas <svg>."))
    outside = _("Le SVG renvoie vers une adresse extérieure ou contient du code : refusé.")
    pending = [root]
    while pending:
        element = pending.pop()
        namespace, _sep, name = element.tag.rpartition("}")
        if namespace.lstrip("{") != SVG_NS or name not in SVG_ELEMENTS:
            raise BadImage(
                _(
                    "Le SVG contient un élément <%(e)s>, que Sobrio n'accepte pas dans un badge "
                    "(un dessin simple : formes, textes, dégradés). Avec Inkscape, enregistrez "
                    "en « SVG simple »."
                )
                % {"e": name}  # fmt: skip
            )
        for attribute, value in element.attrib.items():
            attr_ns, _sep, local = attribute.rpartition("}")
            attr_ns = attr_ns.lstrip("{")
            if (
                attr_ns not in ("", XLINK_NS, XML_NS)
                or local not in SVG_ATTRIBUTES
                or (attr_ns == XLINK_NS and local != "href")
            ):
                raise BadImage(_("Le SVG contient un attribut %(a)s : refusé.") % {"a": local})
            if local == "href" and not (value.startswith("#") or RASTER_DATA.match(value)):
                raise BadImage(outside)
            if local == "style" and not _css_is_inert(value):
                raise BadImage(outside)
            if "javascript:" in value.lower().replace(" ", ""):
                raise BadImage(outside)
        if name == "style" and not _css_is_inert(element.text or ""):
            raise BadImage(outside)
        if name != "metadata":  # an editor's RDF: inert, not rendered
            pending.extend(element)
    return text


# --- the default artwork -------------------------------------------------------------------


def initials(name):
    words = [w for w in re.split(r"[\s'’-]+", name) if w and w[0].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "B"


@functools.lru_cache(maxsize=64)
def default_png(name, size=256):
    """A disc in the État's blue with the badge's initials, for a badge without an image."""
    scale = 2  # drawn larger, then reduced: smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, side - 4, side - 4), fill=(0, 0, 145, 255))
    draw.ellipse((28, 28, side - 28, side - 28), outline=(255, 255, 255, 255), width=10)
    font = ImageFont.load_default(size=side // 3)
    draw.text((side / 2, side / 2), initials(name), fill="white", font=font, anchor="mm")
    return _light_png(image.resize((size, size), Image.LANCZOS))


def _light_png(image):
    """A PNG of few colours: a badge's flat artwork loses nothing, and weighs ~5 KB."""
    out = io.BytesIO()
    image.quantize(colors=32, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def thumbnail(data, side=160):
    """A small, light copy of a badge's PNG for lists (the page budget)."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGBA")
        image.thumbnail((side, side), Image.LANCZOS)
        return _light_png(image)


# --- baking ------------------------------------------------------------------------------


def _chunks(data):
    return png.Reader(bytes=data).chunks()


def _keyword(chunk_type, content):
    if chunk_type in (b"iTXt", b"tEXt"):
        return content.split(b"\x00", 1)[0].decode("latin-1")
    return None


def bake_png(data, keyword, text):
    """The PNG with `text` in an uncompressed iTXt chunk right after IHDR (and no other
    Open Badges chunk)."""
    chunk = (b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode())
    kept = [(t, c) for t, c in _chunks(data) if _keyword(t, c) not in KEYWORDS]
    out = io.BytesIO()
    png.write_chunks(out, [kept[0], chunk, *kept[1:]])
    return out.getvalue()


def unbake_png(data):
    """(keyword, text) of the Open Badges chunk of a PNG, or None; BadImage if the bytes
    are not a PNG."""
    try:
        for chunk_type, content in _chunks(data):
            keyword = _keyword(chunk_type, content)
            if keyword not in KEYWORDS:
                continue
            body = content[len(keyword) + 1 :]
            if chunk_type == b"tEXt":
                return keyword, body.decode("latin-1")
            compressed, rest = body[0], body[2:]
            language_end = rest.index(b"\x00")
            translated_end = rest.index(b"\x00", language_end + 1)
            value = rest[translated_end + 1 :]
            if compressed:
                value = zlib.decompressobj().decompress(value, MAX_PNG_BYTES * 4)
            return keyword, value.decode("utf-8")
    except (png.Error, ValueError, IndexError, zlib.error, UnicodeDecodeError):
        raise BadImage(_("Ce fichier n'est pas une image PNG lisible.")) from None
    return None


def bake_svg(text, verify_url, assertion_json):
    """The SVG with the Open Badges 2.0 assertion inside, as the baking spec puts it."""
    start = re.search(r"<svg\b[^>]*>", text)
    tag, closing = start.group(0), ""
    if tag.endswith("/>"):  # an empty <svg/>
        tag, closing = tag[:-2] + ">", "</svg>"
    if "xmlns:openbadges" not in tag:
        tag = tag[:-1] + ' xmlns:openbadges="http://openbadges.org">'
    body = assertion_json.replace("]]>", "]]]]><![CDATA[>")
    element = (
        f"<openbadges:assertion verify={quoteattr(verify_url)}>"
        f"<![CDATA[{body}]]></openbadges:assertion>"
    )
    return text[: start.start()] + tag + element + closing + text[start.end() :]
