"""generator.pagecheck.external_loads: what a built page would load from another host."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pagecheck import css_loads, external_loads, is_external, srcset_addresses

X = "https://example.com/x"

# One way for each kind of element, attribute or style sheet to load an address.
LOADS = {
    "img src": f'<img src="{X}" alt="">',
    "img srcset": f'<img src="x.png" srcset="x2.png 2x, {X} 3x">',
    "picture source srcset": f'<picture><source srcset="{X} 1x" type="image/webp"><img src="x.png"></picture>',
    "script src": f'<script src="{X}"></script>',
    "iframe src": f'<iframe src="{X}"></iframe>',
    "frame src": f'<frameset><frame src="{X}"></frameset>',
    "iframe srcdoc": f'<iframe srcdoc="&lt;img src=&quot;{X}&quot;&gt;"></iframe>',
    "embed src": f'<embed src="{X}">',
    "object data": f'<object data="{X}" type="application/pdf"></object>',
    "video src": f'<video src="{X}"></video>',
    "video poster": f'<video poster="{X}"><source src="v.mp4"></video>',
    "audio src": f'<audio src="{X}"></audio>',
    "source src": f'<video><source src="{X}" type="video/mp4"></video>',
    "track src": f'<video src="v.mp4"><track src="{X}" kind="captions"></video>',
    "input type=image": f'<form><input type="image" src="{X}" alt="Go"></form>',
    "body background": f'<body background="{X}"><p>text</p></body>',
    "html manifest": f'<html manifest="{X}"><body></body></html>',
    "base href": f'<base href="{X}/"><img src="local.png">',
    "a ping": f'<a href="page/" ping="/count {X}">a link that reports its clicks</a>',
    "link stylesheet": f'<link rel="stylesheet" href="{X}.css">',
    "link icon": f'<link rel="icon" href="{X}.ico">',
    "link apple-touch-icon": f'<link rel="apple-touch-icon" href="{X}.png">',
    "link preload": f'<link rel="preload" as="font" href="{X}.woff2" crossorigin>',
    "link prefetch": f'<link rel="prefetch" href="{X}">',
    "link modulepreload": f'<link rel="modulepreload" href="{X}.js">',
    "link preconnect": f'<link rel="preconnect" href="{X}">',
    "link dns-prefetch": f'<link rel="dns-prefetch" href="{X}">',
    "link manifest": f'<link rel="manifest" href="{X}.json">',
    "link alternate stylesheet": f'<link rel="alternate stylesheet" href="{X}.css">',
    "link preload imagesrcset": f'<link rel="preload" as="image" href="x.png" imagesrcset="{X} 2x">',
    "svg image href": f'<svg><image href="{X}" width="10" height="10"/></svg>',
    "svg image xlink:href": f'<svg><image xlink:href="{X}" width="10" height="10"></image></svg>',
    "svg use href": f'<svg><use href="{X}#icon"/></svg>',
    "svg use xlink:href": f'<svg><use xlink:href="{X}#icon"></use></svg>',
    "svg feImage": f'<svg><filter id="f"><feImage href="{X}"/></filter></svg>',
    "svg script": f'<svg><script href="{X}"></script></svg>',
    "svg fill url()": f'<svg><rect fill="url({X}#gradient)" width="1" height="1"/></svg>',
    "style attribute url()": f'<div style="background-image: url({X})">text</div>',
    "style attribute quoted url()": f"<p style='background: url(\"{X}\") no-repeat'>text</p>",
    "style attribute image-set()": f'<p style="background-image: image-set(&quot;{X}&quot; 1x)">t</p>',
    "style element url()": f"<style>.a {{ background: url('{X}'); }}</style>",
    "style element @import string": f'<style>@import "{X}.css";</style>',
    "style element @import url()": f"<style>@import url({X}.css) screen;</style>",
    "style element @font-face": f"<style>@font-face {{ font-family: F; src: url({X}.woff2) format('woff2'); }}</style>",
    "svg style element": f"<svg><style>rect {{ fill: url({X}#g) }}</style></svg>",
    "meta refresh": f'<meta http-equiv="refresh" content="0; url={X}">',
}


@pytest.mark.parametrize("html", LOADS.values(), ids=LOADS.keys())
def test_each_kind_of_load_is_found(html):
    found = external_loads(html)
    assert len(found) == 1 and found[0].startswith(X), found


def test_a_markdown_image_is_found():
    html = markdown.markdown(f"Our partner's logo: ![logo]({X}.png)", extensions=["attr_list"])
    assert external_loads(html) == [f"{X}.png"]


def test_protocol_relative_and_other_network_schemes_are_external():
    assert external_loads('<img src="//example.com/x.png">') == ["//example.com/x.png"]
    assert external_loads('<img src="http://example.com/x.png">') == ["http://example.com/x.png"]
    assert external_loads('<img src="ftp://example.com/x.png">') == ["ftp://example.com/x.png"]
    assert external_loads('<img src="https:example.com/x.png">') == ["https:example.com/x.png"]


def test_plain_links_load_nothing():
    html = f"""
    <a href="{X}">a link</a> <A HREF="//example.com/">another</A>
    <svg><a href="{X}"><text>a link in a drawing</text></a></svg>
    <map><area href="{X}" alt="an area of a map"></map>
    <form action="{X}"><button formaction="{X}">send</button></form>
    <link rel="canonical" href="{X}"> <link rel="alternate" type="application/rss+xml" href="{X}.xml">
    <link rel="next" href="{X}/2"> <link rel="license author" href="{X}/licence">
    <blockquote cite="{X}">a quotation</blockquote>
    <p>{X} written out, and <code>&lt;img src="{X}"&gt;</code> shown as code.</p>
    """
    assert external_loads(html) == []


def test_resources_of_this_site_load_nothing_from_elsewhere():
    html = """
    <img src="../assets/x.png" srcset="x@2x.png 2x, /assets/x@3x.png 3x">
    <script src="assets/okb-search.js"></script> <link rel="stylesheet" href="/assets/okb.css">
    <link rel="icon" href="assets/images/favicon.png"> <base href="/outcome-knowledge-base/">
    <img src="data:image/png;base64,iVBORw0KGgo=" srcset="data:image/png;base64,AAA,BBB 1x">
    <svg><use href="#icon"/><rect fill="url(#gradient)" width="1" height="1"/></svg>
    <div style="background: url(img/bg.png); mask: url('data:image/svg+xml;charset=utf-8,%3Csvg/%3E')">t</div>
    <style>@import "print.css"; .x { background: url(/x.png) } a[href^="https://"]::after { content: "↗" }</style>
    <meta http-equiv="refresh" content="30">
    <img src="" alt="empty"> <img alt="none">
    """
    assert external_loads(html) == []


def test_upper_case_tags_attributes_and_schemes():
    html = f'<IMG SRC="HTTPS://EXAMPLE.COM/A.PNG"><LINK REL="StyleSheet" HREF="{X}.css"><DIV STYLE="BACKGROUND: URL({X}/b)">'
    assert external_loads(html) == ["HTTPS://EXAMPLE.COM/A.PNG", f"{X}.css", f"{X}/b"]


def test_addresses_are_given_in_order_once_each():
    html = f'<img src="{X}/2"><img src="{X}/1"><img src="{X}/2"><img srcset="{X}/1 2x">'
    assert external_loads(html) == [f"{X}/2", f"{X}/1"]


@pytest.mark.parametrize(
    "html",
    [
        f'<img src=" {X}">',  # spaces around the address
        '<img src="ht\ttps://example.com/x">',  # a tab inside it
        '<img src="&#104;ttps://example.com/x">',  # a character reference
        '<img src="https&colon;//example.com/x">',
        '<img src="\\\\example.com/x">',  # backslashes read as slashes
        '<img src="/\\example.com/x">',
        f"<img src={X}>",  # no quotes
        f"<img/src={X}>",
        f'<img alt="a > b" src="{X}">',
        f'<p <img src="{X}">',  # a broken tag before it
        f'<img src="{X}" alt="no end of the page">\n<p>unclosed',
        f'<div style="background: u\\72 l({X})">t</div>',  # CSS escapes
        f'<div style="background:/* comment */url({X})">t</div>',
        f"<style>.a {{ background: url({X}) }}",  # a style element that never ends
        f"<!-- a comment --!><img src='{X}'>",  # a comment a browser ends at --!>
        f"<![if !IE]><img src='{X}'><![endif]>",  # <![…]> html.parser does not know
        '<svg><style>@import "&#104;ttps://example.com/x";</style></svg>',  # SVG reads references
    ],
)
def test_malformed_or_disguised_markup_is_still_read(html):
    found = external_loads(html)
    assert found and all(is_external(address) for address in found), found


def test_what_a_browser_would_not_load_either_is_not_reported():
    assert external_loads(f'<script>document.title = "<img src={X}>"</script>') == []
    assert external_loads(f'<img src="{X}"') == []  # a tag cut off by the end of the page
    assert external_loads(f"<!-- <img src='{X}'>") == []  # inside a comment that never ends


def test_commented_out_loads_are_reported_as_a_precaution():
    # Browsers and html.parser may end a comment at different places: both are checked.
    assert external_loads(f'<!-- <img src="{X}"> -->') == [X]


def test_srcset_addresses_follow_the_html_reading():
    assert srcset_addresses("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_addresses("a.png,b.png") == ["a.png,b.png"]  # one address: no space after the comma
    assert srcset_addresses("a.png, b.png") == ["a.png", "b.png"]
    assert srcset_addresses("data:image/png;base64,AA 1x,https://e/x 2x") == ["data:image/png;base64,AA", "https://e/x"]
    assert srcset_addresses(" , ") == []


def test_css_loads():
    assert css_loads(
        "a { background: url( 'x.png' ) } @import 'y.css'; b { c: image-set('z.png' 1x, url(w.png) 2x) }"
    ) == ["x.png", "w.png", "y.css", "z.png"]


# Pieces of markup, put together at random: broken tags, comments, style sheets, addresses.
MARKUP_PIECES = st.sampled_from(
    list("<>!-/=\"' \n[]?&#;:()\\")
    + ["img", "src", "style", "url(", "<img src=", X, "<!--", "-->", "--!>", "<style>", "</style>", "<![", "]]>",
       "<svg>", "<use href=", "srcset=", "&lt;", "\\72", "/*", "*/"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKUP_PIECES).map("".join))
def test_any_text_is_read_without_error(html):
    assert all(is_external(address) for address in external_loads(html))


def test_no_page_of_the_built_fixture_site_loads_anything_from_elsewhere(fixture_site):
    """Material's own markup (canonical links, icons, scripts) and the generated pages pass."""
    pages = sorted(fixture_site.site.rglob("*.html"))
    assert len(pages) > 20
    found = {
        str(page.relative_to(fixture_site.site)): external_loads(page.read_text(encoding="utf-8")) for page in pages
    }
    assert {page: loads for page, loads in found.items() if loads} == {}
