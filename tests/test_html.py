"""render_html: well-formed, escaped, right-to-left, every span drawn, text unchanged."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from parsclaim.data.schema import ENTITY_LABELS
from parsclaim.inference.html import render_html, render_index

VOID = {"meta", "br", "img", "hr", "link", "input"}
BADGES = {"who", "qv"}  # text the view adds: claimant labels and parsed values


class Page(HTMLParser):
    """Checks nesting and collects the article text, entity ids and tags used."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.entity_ids: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "data-id" in attrs:
            self.entity_ids.append(attrs["data-id"])
        if tag not in VOID:
            self.stack.append((tag, set((attrs.get("class") or "").split())))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}> with open {[t for t, _ in self.stack]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        inside = [t for t, _ in self.stack]
        if "article" in inside and not any(c & BADGES for _, c in self.stack):
            self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert not parser.errors and not parser.stack, (parser.errors, parser.stack)
    return parser


def test_seed_page_structure(seed):
    page = render_html(seed)
    parsed = parse(page)
    html_tag = next(attrs for tag, attrs in parsed.tags if tag == "html")
    assert html_tag == {"lang": "fa", "dir": "rtl"}
    assert "".join(parsed.text) == seed["text"]  # nothing lost, nothing added inside the article
    assert sorted(parsed.entity_ids) == sorted(e["id"] for e in seed["entities"])  # every entity drawn once
    assert page.count('class="claim" data-claim=') == len(seed["claims"])  # gold claims nest cleanly: never split
    assert page.count('class="cue" title=') == sum(1 for c in seed["claims"] if c.get("cue"))
    for label in ENTITY_LABELS:
        assert f">{label}</span>" in page  # legend
    assert "کمال اکبری" in page and "19,000" in page and "percent" in page  # claimant labels and values
    # self-contained: no external resources
    assert not any(tag in ("link", "script", "img") for tag, _ in parsed.tags)
    assert "http://" not in page and "https://" not in page and "url(" not in page


def test_escaping():
    text = '<script>alert("x")</script> & "quotes" \'here\''
    article = {
        "id": '"><img src=x onerror=alert(1)>',
        "text": text,
        "entities": [{"id": 'e"1', "start": 0, "end": 8, "label": "ORG"},
                     {"id": "e2", "start": 31, "end": 39, "label": "QUANTITY", "value": 1, "unit": "<b>"}],
        "officials": [],
        "claims": [{"id": "c1", "start": 29, "end": 39, "cue": None, "claimant": "e1<", "quantities": []}],
    }
    page = render_html(article)
    parsed = parse(page)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "".join(parsed.text) == text
    assert parsed.entity_ids == ['e"1', "e2"]


def test_crossing_spans_stay_well_formed():
    text = "الف ب ج د ه و"
    article = {
        "id": "x",
        "text": text,
        "entities": [{"id": "e1", "start": 2, "end": 7, "label": "PER"}, {"id": "e2", "start": 8, "end": 13, "label": "LOC"}],
        "claims": [{"id": "c1", "start": 4, "end": 11, "cue": [0, 3], "claimant": None},
                   {"id": "c2", "start": 6, "end": 9, "cue": None, "claimant": None}],
    }
    parsed = parse(render_html(article))
    assert "".join(parsed.text) == text
    assert set(parsed.entity_ids) == {"e1", "e2"}


def test_index_page():
    page = render_index([("a.html", "<one>"), ("b.html", "two")])
    parse(page)
    assert 'href="a.html"' in page and "&lt;one&gt;" in page
