"""What a saved web page carries besides the notice, removed from its tree: what is never content (script,
style, form controls, hidden elements holding no table …) and site chrome (nav, aside, form, menu, a header or
footer outside the article, elements whose class or id names a menu, share bar, footer, breadcrumb …), never
an element holding a project table. html.py's doc has the rules.
"""

from __future__ import annotations

import re

from lxml import etree as _etree

from .html_file import CONTROLS
from .html_text import is_title_text, text_content

_Element = _etree._Element

_NEVER_CONTENT = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
                  "applet", "svg", "canvas", "audio", "video", "select", "textarea", "input", "button",
                  "option", "head", "title", "meta", "link", "base")
_CHROME_TAGS = frozenset(("nav", "aside", "form", "menu", "header", "footer"))
_IN_ARTICLE_OK = frozenset(("header", "footer"))  # an article's own header/footer is part of it
# Words in a class or id that mark site chrome. Restrained on purpose: "content", "main", "article", "print",
# "top", "bottom", "head" stay, because pages use them for the article itself.
_NOISE_WORDS = frozenset(("nav", "navbar", "navigation", "subnav", "topnav", "menu", "submenu", "topmenu",
                          "share", "sharing", "bdshare", "footer", "foot", "breadcrumb", "breadcrumbs",
                          "crumb", "crumbs", "sidebar", "toolbar", "copyright"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def name_words(value: str) -> list[str]:
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value)) if w]


def _is_noise_named(el: _Element) -> bool:
    for attr in ("class", "id"):
        value = el.get(attr)
        if not value:
            continue
        for w in name_words(value):
            if w in _NOISE_WORDS or w.startswith("bdshare"):
                return True
    return False


def drop(el: _Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it (its tail) in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        tail = CONTROLS.sub("", el.tail)  # a character reference (&#1;) may have made one lxml now refuses
        prev = el.getprevious()
        if prev is not None:
            prev.tail = CONTROLS.sub("", prev.tail or "") + tail
        else:
            parent.text = CONTROLS.sub("", parent.text or "") + tail
    parent.remove(el)


def drop_never_content(root: _Element) -> None:
    for el in list(root.iter(*_NEVER_CONTENT)):
        drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # a comment or processing instruction the parser kept
            drop(el)
        elif _HIDDEN.search(el.get("style") or "") and next(el.iter("table"), None) is None:
            drop(el)  # (a hidden tab holding a table is kept: a saved page may have hidden what it shows)


def _holds_title(el: _Element) -> bool:
    """A <header> with the notice's title as a heading is the article's header, not the site's."""
    return any(is_title_text(text_content(h)) and next(h.iter("a"), None) is None
               for h in el.iter("h1", "h2", "h3"))


def drop_chrome(body: _Element, keep: set[_Element],
                 inside_tables: set[_Element]) -> None:
    """Remove site chrome (see the module's doc). ``keep``: the project tables and their ancestors."""
    doomed: list[_Element] = []
    stack = [body]
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str) or child in inside_tables:
                continue
            tag = child.tag
            chrome = tag in _CHROME_TAGS or _is_noise_named(child)
            if chrome and tag in _IN_ARTICLE_OK and not _is_noise_named(child) and (
                    any(a.tag in ("article", "main") for a in child.iterancestors()) or _holds_title(child)):
                chrome = False
            if chrome and child not in keep:
                doomed.append(child)
            else:
                stack.append(child)
    for el in doomed:
        drop(el)
