"""Markdown that people write (news, forum posts, ideas) rendered to HTML that cannot carry a script.

Two layers, each enough alone: markdown-it renders CommonMark with raw HTML turned off (a `<script>` typed in the
text comes out as text) and refuses `javascript:`, `vbscript:`, `file:` and `data:` links; nh3 (the Rust
sanitiser ammonia) then keeps only the tags and attributes listed here and links to http(s) and e-mail. Images are
not rendered: a picture from another origin would be a third party in every reader's browser (and the
Content-Security-Policy refuses it); a news item has its own checked lead image. A "# Title" in the text becomes an
h2: the page has its own h1.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").disable("image")


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML, safe to put on a page as it is."""
    parser = _parser()
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(int(token.tag[1]), 2)}"
    html = parser.renderer.render(tokens, parser.options, {})
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        filter_style_properties={"text-align"},
    )
    return mark_safe(clean)  # sanitised by nh3 just above
