"""What people write renders as harmless text (core.markdown): scripts, `javascript:` and `data:` links and
event-handler attributes never become elements or attributes, whichever layer is asked, and ordinary Markdown
still formats."""

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from ngo_platform.core import markdown

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)" onclick="alert(2)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](&#106;avascript:alert(1))",
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "![obraz](https://evil.example/tracker.png)",
    '[tekst](https://example.org "tytuł" onmouseover="alert(1)")',
]
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Parsed(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def assert_harmless(html: str):
    parsed = Parsed(html)
    assert not {"script", "img", "svg", "iframe", "style"} & set(parsed.tags), html
    assert not [name for _tag, name, _value in parsed.attributes if name.startswith("on") or name == "style"], html
    for _tag, name, value in parsed.attributes:
        if name in ("href", "src"):
            assert value.startswith(SAFE_SCHEMES), html


@pytest.mark.parametrize("text", VECTORS)
def test_every_known_vector_renders_as_harmless_text(text):
    assert_harmless(markdown.render_markdown(text))


@pytest.mark.parametrize("text", VECTORS)
def test_the_sanitiser_alone_stops_them_when_the_renderer_lets_html_through(monkeypatch, text):
    """The second layer: a renderer that passes raw HTML and every link (a regression, a changed option) still
    yields nothing active."""
    permissive = MarkdownIt("commonmark", {"html": True})
    permissive.validateLink = lambda url: True
    monkeypatch.setattr(markdown, "_parser", lambda: permissive)
    assert_harmless(markdown.render_markdown(text))


def test_ordinary_markdown_still_formats():
    html = markdown.render_markdown(
        "# Tytuł\n\n## Rozdział\n\n**mocno** *lekko* [strona](https://example.org)\n\n- a\n- b\n\n> cytat"
    )
    assert "<h2>Tytuł</h2>" in html and "<h2>Rozdział</h2>" in html  # no h1 under the page's own
    assert "<strong>mocno</strong>" in html and "<em>lekko</em>" in html and "<blockquote>" in html
    assert '<a href="https://example.org" rel="nofollow noopener ugc">strona</a>' in html
    assert "<li>a</li>" in html


def test_typed_html_is_shown_as_the_text_it_is():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown.render_markdown("<script>alert(1)</script>")
