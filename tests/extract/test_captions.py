"""Captions and credits on small handmade pages: every way the credit is marked or glued."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extract.captions import clean_credit, extract_captions, split_credit

BASE = "https://news.example/a/story.html"


def caps(body: str):
    doc = lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")
    return [(c.src, c.alt, c.caption, c.credit) for c in extract_captions(doc, BASE)]


def test_credit_in_its_own_element():
    html = """<figure><img src="/img/a.jpg" alt="A"><figcaption><span class="caption-text">A man walks.</span>
              <span class="credit">Jane Doe/AP</span></figcaption></figure>"""
    assert caps(html) == [("https://news.example/img/a.jpg", "A", "A man walks.", "Jane Doe/AP")]


@pytest.mark.parametrize("inner, caption, credit", [
    ("A man walks. <small>Foto: dpa</small>", "A man walks.", "dpa"),
    ("A man walks. <cite>© Reuters</cite>", "A man walks.", "Reuters"),
    ('A man walks. <span itemprop="copyrightHolder">Keystone</span>', "A man walks.", "Keystone"),
    ("A man walks. (Photo: Jane Doe/AP)", "A man walks.", "Jane Doe/AP"),
    ("Ein Mann geht. Foto: Max Muster", "Ein Mann geht.", "Max Muster"),
    ("Ein Mann geht. Bild: Keystone", "Ein Mann geht.", "Keystone"),
    ("A man walks. John Smith/Getty Images", "A man walks.", "John Smith/Getty Images"),
    ("A man walks in 2011. AP Photo/Evan Vucci", "A man walks in 2011.", "AP Photo/Evan Vucci"),
    ("The sun rises © Reuters", "The sun rises", "Reuters"),
    ("A man walks in Paris.", "A man walks in Paris.", None),
])
def test_credit_split_from_caption(inner, caption, credit):
    html = f'<figure><img src="a.jpg"><figcaption>{inner}</figcaption></figure>'
    assert caps(html) == [("https://news.example/a/a.jpg", None, caption, credit)]


def test_several_credit_elements_are_joined():
    html = """<figure><img src="a.jpg"><figcaption>Fire in town.
              <span class="credit">dpa</span><span class="credit">Jens Kalaene</span></figcaption></figure>"""
    assert caps(html)[0][2:] == ("Fire in town.", "dpa; Jens Kalaene")


def test_lazy_images_resolve_to_the_real_source():
    html = """<figure><img src="data:image/gif;base64,R0lGOD" data-src="/big.jpg"><figcaption>Lazy one.</figcaption></figure>
              <figure><img srcset="/s.jpg 480w, /l.jpg 1024w"><figcaption>Srcset one.</figcaption></figure>
              <figure><picture><source srcset="/p.webp"><img></picture><figcaption>Picture one.</figcaption></figure>"""
    assert [c[0] for c in caps(html)] == ["https://news.example/big.jpg", "https://news.example/s.jpg",
                                         "https://news.example/p.webp"]


def test_caption_class_outside_figure_and_page_order():
    html = """<figure><img src="1.jpg"><figcaption>First image here.</figcaption></figure>
              <div class="image"><img src="2.jpg" alt="two"><p class="wp-caption-text">Second image caption. Photo: X Y</p></div>
              <figure><img src="3.jpg"></figure>"""
    got = caps(html)
    assert [c[2] for c in got] == ["First image here.", "Second image caption."]
    assert got[1][1:] == ("two", "Second image caption.", "X Y")


def test_chrome_and_captionless_figures_are_skipped():
    html = """<figure><img src="1.jpg"><figcaption>  </figcaption></figure>
              <nav><div class="caption"><img src="x.jpg">My account menu here</div></nav>"""
    assert caps(html) == []


def test_jsonld_credit_fills_what_markup_hides():
    doc = lxml.html.document_fromstring("""<html><head><script type="application/ld+json">
        {"@type": "NewsArticle", "image": {"@type": "ImageObject", "url": "https://cdn.example/p/abc.jpg",
         "creditText": "Jane Doe/Reuters"}}</script></head><body>
        <figure><img src="https://cdn.example/p/abc.jpg?w=600"><figcaption>A quiet street.</figcaption></figure>
        </body></html>""")
    [c] = extract_captions(doc, BASE)
    assert (c.caption, c.credit) == ("A quiet street.", "Jane Doe/Reuters")


def test_split_and_clean_credit_helpers():
    assert split_credit("Ein Bild. Foto: dpa") == ("Ein Bild.", "dpa")
    assert split_credit("Nothing to split here") == ("Nothing to split here", None)
    assert clean_credit("(Photo: Jane Doe)") == "Jane Doe"
    assert clean_credit("© Bild: Keystone") == "Keystone"
    assert clean_credit("  ") is None
