"""Faster rewrites of hot text operations must give exactly what the plain versions gave.

Extraction output is stored with an extractor version and compared across re-extractions, so a
speed-up may not move a single character. Each test pits a rewrite against the original
expression on random text built from the characters that matter to it (digits of several
scripts, every kind of whitespace, the invisible characters).
"""

from __future__ import annotations

import random
import re

from crawler.extract import dates

_DIGITS = "0123456789" + "\u0660\u0661\u0969\uff11"  # Unicode decimals are \d too
_SPACES = " \t\n\r\f\v\x1c\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\u00ad"


def _random_texts(alphabet: str, count: int = 3000, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def test_year_regex_matches_the_leading_lookbehind_form():
    plain = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
    for text in _random_texts("1920" * 4 + _DIGITS + "ab -.", count=5000):
        assert [m.span() for m in dates.YEAR.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_parser_gives_html_elements_without_a_python_lookup():
    import lxml.html

    from crawler.extract import encoding

    doc = encoding.parse_html("<html><body><form><label>Q</label><input name=q><select><option>a</select>"
                              "<textarea>t</textarea></form><!-- c --><p>x</p></body></html>")
    assert all(isinstance(el, lxml.html.HtmlElement) for el in doc.iter() if isinstance(el.tag, str))
    assert doc.find(".//form").text_content() == "Qat"
    assert isinstance(doc.xpath("//comment()")[0], lxml.html.HtmlComment)


def test_whitespace_rewrites_match_the_regex_forms():
    import html

    from crawler.extract import captions, dom_blocks, meta_dom

    ws = re.compile(r"\s+")
    invisible = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
    # every character str.isspace() accepts, so the test also notices a Python that adds one
    all_spaces = "".join(c for c in map(chr, range(0x110000)) if c.isspace()) + _SPACES
    for text in _random_texts("ab&;" + all_spaces + "\u2060\u200c_-.", count=20000):
        assert dom_blocks.normalise_space(text) == dom_blocks._WS.sub(" ", text).strip(), repr(text)
        assert meta_dom.collapse_space(text) == ws.sub(" ", text), repr(text)
        unescaped = html.unescape(text) if "&" in text else text
        assert meta_dom.clean(text) == ws.sub(" ", unescaped.translate(invisible)).strip(), repr(text)
        assert captions._clean(text) == ws.sub(" ", text.translate(invisible)).strip(), repr(text)
        assert meta_dom.norm_cmp(text) == ws.sub(" ", re.sub(r"[\W_]+", " ", text.casefold())).strip(), repr(text)
    for text in (None, ""):
        assert meta_dom.clean(text) == "" and captions._clean(text) == ""
    for text in _random_texts("ab \t" + "\x1c\x1d\x1e\x1f", count=3000):  # ASCII fast path
        assert dom_blocks.normalise_space(text) == dom_blocks._WS.sub(" ", text).strip(), repr(text)


def test_visible_texts_walk_matches_the_xpath():
    from lxml import etree

    from crawler.extract import encoding, meta_dom

    xpath = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                        " or ancestor::template or ancestor::svg)]", smart_strings=False)
    pages = [
        "<html><body>a<!-- c -->b<?pi x?>c<script>s</script>t<div>d<svg><text>x</text><style>y</style></svg>e"
        "</div>f<noscript><p>n</p>m</noscript>g<template><b>t</b></template>h</body></html>",
        "<html><head><title>T</title></head><body><p>one <b>two</b> three</p><body>inner<i>x</i></body>"
        "<style>a{}</style>tail</body></html>",
        "<html><noscript><body>hidden</body></noscript></html>",
        "<p>no body tag &amp; entities&nbsp;here</p>",
        "<html><body></body></html>",
    ]
    for html in pages:
        doc = encoding.parse_html(html)
        assert meta_dom.visible_texts(doc) == xpath(doc), html


def test_caption_attr_fast_path_matches_the_ignorecase_regex():
    from crawler.extract import captions

    words = captions._CAPTION_ATTR.pattern.split("|")
    rng = random.Random(3)
    texts = []
    for _ in range(20000):  # pieces of the words in random case, joined by junk (ASCII and not)
        parts = []
        for _ in range(rng.randint(0, 4)):
            w = rng.choice(words + ["x", "-", "_", " ", "ı", "ſ", "\u212a", "İ"])
            cut = rng.randint(0, len(w))
            piece = w[:cut] if rng.random() < 0.3 else w
            parts.append("".join(c.upper() if rng.random() < 0.3 else c for c in piece))
        texts.append("".join(parts))
    texts += ["CAPTİON", "captıon", "bildunterſchrift", "Figure__Text x", "wp-Caption-TEXT"]
    for text in texts:
        assert captions._caption_attr(text) == bool(captions._CAPTION_ATTR.search(text)), repr(text)


_WALK_PAGES = [
    "<!-- top --><html class='h'><head><meta itemprop='x'><link rel='author' href='/a'></head><body id=b>"
    "<div class=''><figure class='f'><img src=a.jpg><figcaption>Cap <small>Foto: X</small></figcaption></figure>"
    "<div itemscope itemtype='https://schema.org/ImageObject'><span itemprop='description'>d</span>"
    "<div itemscope itemtype='Person'><span itemprop='description'>p</span></div>"
    "<div itemscope><span itemprop='description'>no type</span></div></div>"
    "<p itemprop='caption'>c</p><byline>By A</byline><author>B</author><nav><a href=/>x</a></nav>"
    "<span hidden>h</span><span aria-hidden=true>a</span><span style='display:none'>s</span>"
    "<span role=navigation>r</span><span data-testid=byline>t</span><label>l</label><foo:class>x</foo:class>"
    "</div></body></html><!-- after -->",
    "<p>bare</p>",
]


def test_python_walks_select_what_the_xpath_did():
    from lxml import etree

    from crawler.extract import boilerplate, captions, encoding, meta_dom

    sites = etree.XPath("//figure | //*[@itemprop='caption' or @itemprop='description' and ancestor::*[@itemtype][1]"
                        "[contains(@itemtype, 'ImageObject')]] | //*[@class][not(self::figure)]")
    attrs = etree.XPath("//*[@class or @id or @rel or @itemprop or @data-testid] | //byline | //author")
    for html in _WALK_PAGES:
        doc = encoding.parse_html(html)
        assert list(meta_dom.all_elements(doc)) == doc.xpath("/descendant::*")
        assert list(captions._sites(doc)) == sites(doc)
        body = doc.find("body")
        assert boilerplate.candidates(body) == body.xpath(boilerplate.CANDIDATES_XPATH)
        bylines, datelines = meta_dom.candidates(doc)
        expected = [el for el in attrs(doc) if el.tag not in meta_dom._NOT_CANDIDATE]
        assert set(bylines + datelines) <= set(expected)
    doc = encoding.parse_html(_WALK_PAGES[0])
    bylines, _ = meta_dom.candidates(doc)
    assert [el.tag for el in bylines] == ["byline", "author", "span"]


def test_shared_element_list_lives_only_while_the_tree_is_unchanged():
    from crawler.extract import captions, meta_dom, pipeline

    html = ("<html><body><figure><img src=a.jpg><figcaption>A caption long enough</figcaption></figure>"
            "<p class=byline>By Jane Roe</p><p>" + "Prose of the story. " * 40 + "</p></body></html>")
    doc, warnings = pipeline.parse(html)
    article = pipeline.extract_parsed(doc, "http://example.org/a", warnings)
    assert meta_dom.shared_elements is None  # the body stage pruned the tree: nothing may reuse the list
    assert article.captions
    fresh, _ = pipeline.parse(html)
    assert [c.caption for c in captions.extract_captions(fresh, None)] == [c.caption for c in article.captions]


def test_class_names_classified_as_with_the_camel_split_always_applied():
    from crawler.extract import boilerplate as bp
    from crawler.extract import boilerplate_patterns as table

    def reference(value):
        boiler = content = False
        for name in value.split():
            lowered = name.lower()
            if bp._CONTENT_RE.search(lowered):
                content = True
                continue
            if lowered in bp._NAMES:
                boiler = True
                continue
            if lowered.startswith(bp._STATE_PREFIXES):
                continue
            tokens = bp._SPLIT.split(bp._CAMEL.sub("-", name).lower())
            if bp._BODY_TOKENS.intersection(tokens):
                continue
            for token in tokens:
                if token and (token in bp._TOKENS or (token.startswith(bp._PREFIXES) and token not in bp._EXCEPTIONS)):
                    boiler = True
                    break
        return boiler, content

    vocab = [*table.CLASS_TOKENS, *table.CLASS_PREFIXES, *table.CLASS_NAMES, *table.PREFIX_EXCEPTIONS,
             *table.BODY_TOKENS, *table.CONTENT_TOKENS, *table.STATE_PREFIXES, "col", "md", "6", "x", "É", "ß"]
    rng = random.Random(11)
    for _ in range(20000):
        names = []
        for _ in range(rng.randint(0, 4)):
            parts = [rng.choice(vocab) for _ in range(rng.randint(1, 3))]
            parts = [p.title() if rng.random() < 0.3 else p for p in parts]  # camelCase and TitleCase
            names.append(rng.choice(["-", "_", "", "__"]).join(parts))
        value = " ".join(names)
        assert bp._classify_names.__wrapped__(value)[:2] == reference(value), value
