"""Image captions with their credits, in page order.

Publishers mark captions in many ways (``figure/figcaption``, ``class="caption"``, ``itemprop``),
and the credit either sits in its own element (``<span class="credit">``, ``<small>``, ``<cite>``)
or is glued to the text ("... (Photo: X)", "... Foto: X", "... X/Getty Images"). Both are handled;
the glued forms are the regular expressions in ``patterns/metadata.toml``. JSON-LD ImageObjects
fill in a credit the markup does not show. Only reads the tree.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.article import Caption
from crawler.extract.meta_dom import elements_of
from crawler.extract.meta_jsonld import jsonld_objects, text_of
from crawler.extract.meta_patterns import patterns

_WS = re.compile(r"\s+")
_CAPTION_ATTR = re.compile(r"caption|legend|bildunterschrift|unterzeile|bildtext|img-text|image-text|photo-text|"
                           r"wp-caption-text|figure__text|media__text", re.I)
_CAPTION_ATTR_LC = re.compile(_CAPTION_ATTR.pattern)


def _caption_attr(classes: str) -> bool:
    """``_CAPTION_ATTR.search(classes)``, 5x faster on ASCII text: without re.I the engine can skip
    to the first letters of the words. For ASCII, re.I equals matching the lower-cased text (the
    pattern is lower-case literals); other text may hold characters re.I folds (``ı``, ``ſ``, the
    Kelvin sign), so it keeps the re.I search. Runs on every element with a class attribute."""
    if classes.isascii():
        return _CAPTION_ATTR_LC.search(classes.lower()) is not None
    return _CAPTION_ATTR.search(classes) is not None


def _sites(doc):
    """Where a caption may be, in document order: what ``//figure | //*[@itemprop='caption' or
    @itemprop='description' and ancestor::*[@itemtype][1][contains(@itemtype, 'ImageObject')]] |
    //*[@class][not(self::figure)]`` selects, picked in one Python walk (libxml2's attribute
    predicates cost more than the walk)."""
    for el in elements_of(doc):
        if el.tag == "figure" or el.get("class") is not None:
            yield el
            continue
        prop = el.get("itemprop")
        if prop == "caption" or (prop == "description" and _in_image_object(el)):
            yield el


def _in_image_object(el) -> bool:
    for anc in el.iterancestors():
        kind = anc.get("itemtype")
        if kind is not None:  # the nearest item is the one this property belongs to
            return "ImageObject" in kind
    return False


_IMGS = etree.XPath("descendant::img | descendant::amp-img")
_NOT_CAPTION_TAGS = {"script", "style", "img", "picture", "source", "noscript", "svg", "button", "a", "input",
                     "meta", "link", "html", "body", "head", "main", "article", "section", "nav", "header",
                     "footer", "form", "ul", "ol", "iframe", "video", "audio"}
_CREDIT_PROPS = {"copyrightholder", "author", "credittext", "creator", "copyrightnotice", "accountableperson"}
_LABEL = re.compile(r"^\s*(?:(?:photo(?:graph)?s?|pictures?|images?|fotos?|bild(?:er)?|credits?|crédits?(?: photo)?|"
                    r"photo credit|quelle|source|copyright|foto ?credits?|bildquelle|fotografie|fotograf(?:ie)?)"
                    r"\s*(?::|by|von|de|par)\s*|©\s*|\(c\)\s*|℗\s*)+", re.I)
_PLACEHOLDER = re.compile(r"^data:|blank\.|spacer|placeholder|transparent|pixel\.|1x1|grey\.gif|loading\.", re.I)
_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "data-full-src",
              "data-lazy", "data-img-src")
_SEP_TRAIL = " \t\r\n|/–—-·•,;:"
_MAX_CAPTION = 1500


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def _clean(text: str | None) -> str:
    if not text:
        return ""
    if not text.isascii():  # the invisible characters are not ASCII
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())  # == _WS.sub(" ", text).strip(): both split on str.isspace()


def _classes(el) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


def _is_credit_el(el, credit_re) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("small", "cite"):
        return True
    if (el.get("itemprop") or "").casefold() in _CREDIT_PROPS:
        return True
    cls = _classes(el)
    return bool(cls.strip()) and bool(credit_re.search(cls)) and not _CAPTION_TEXT_ATTR.search(cls)


_CAPTION_TEXT_ATTR = re.compile(r"caption[-_]*text|caption__text|caption-body|captiontext|legend-text", re.I)
_HIDDEN_ATTR = re.compile(r"sr-only|visually-hidden|screen-reader|u-hidden|hidden-text|a11y", re.I)


def _texts(cap_el, credit_re) -> tuple[str, list[str]]:
    """(caption text without credit elements, texts of the credit elements)."""
    credits: list[str] = []
    parts: list[str] = []

    def walk(el, in_credit: bool):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "noscript", "button", "svg"):
            if el.tail:
                (credits if in_credit else parts).append(el.tail)
            return
        cls = _classes(el)
        if cls.strip() and _HIDDEN_ATTR.search(cls):
            if el.tail:
                (credits if in_credit else parts).append(el.tail)
            return
        starts_credit = not in_credit and el is not cap_el and _is_credit_el(el, credit_re)
        if starts_credit:
            credits.append("\x00")
        target = credits if (in_credit or starts_credit) else parts
        if el.text:
            target.append(el.text)
        for child in el:
            walk(child, in_credit or starts_credit)
        if el is not cap_el and el.tail:
            (credits if in_credit else parts).append(el.tail)
        if tag in ("br", "p", "div", "span"):
            target.append(" ")

    walk(cap_el, False)
    credit_texts = [_clean(c) for c in " ".join(credits).split("\x00")]
    return _clean(" ".join(parts)), [c for c in credit_texts if c]


def split_credit(text: str) -> tuple[str, str | None]:
    """Cut a credit glued to a caption ("... (Photo: X)", "... Foto: X", "... X/Getty Images")."""
    text = _clean(text)
    if not text:
        return text, None
    for rx in patterns().credit_patterns:
        m = rx.search(text)
        if m and m.group("credit"):
            credit = clean_credit(m.group("credit"))
            rest = text[:m.start()].rstrip(_SEP_TRAIL)
            if credit and len(credit) <= 120:
                return rest, credit
    return text, None


def clean_credit(text: str | None) -> str | None:
    """A credit without its label ("Foto: ", "©", "Photo by") or wrapping punctuation."""
    text = _clean(text).strip(" ()[]|/–—-·•,;.")
    prev = None
    while prev != text:
        prev = text
        text = _LABEL.sub("", text).strip(" ()[]|/–—-·•,;.")
        text = patterns().credit_trailer.sub("", text)
    if not text or not _NOT_CREDIT.sub("", text):
        return None  # a date, a duration or a counter is no credit
    return text


_NOT_CREDIT = re.compile(r"[\d\s.:|/,;+-]+|\b(?:min|uhr|sec|s|h)\b", re.I)


def _src(img, base: str | None) -> str | None:
    candidates = []
    src = img.get("src")
    if src and not _PLACEHOLDER.search(src):
        candidates.append(src)
    for attr in _SRC_ATTRS:
        v = img.get(attr)
        if v and not _PLACEHOLDER.search(v):
            candidates.append(v)
    for attr in ("srcset", "data-srcset", "data-lazy-srcset"):
        v = img.get(attr)
        if v:
            first = v.strip().split(",")[0].strip().split(" ")[0]
            if first and not _PLACEHOLDER.search(first):
                candidates.append(first)
    if not candidates:
        # libxml2 does not know <source> is void: the <img> may sit inside it
        pic = next((a for a in img.iterancestors() if a.tag == "picture"), None) if img.getparent() is not None \
            and img.getparent().tag in ("picture", "source") else None
        if pic is not None:
            for source in pic.iter("source"):
                v = source.get("srcset") or source.get("data-srcset")
                if v:
                    candidates.append(v.strip().split(",")[0].strip().split(" ")[0])
                    break
    if not candidates:
        return None
    url = candidates[0].strip()
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return url


def _image_near(el, site):
    """The image a caption belongs to: inside its figure, else in the nearest container holding one."""
    imgs = _IMGS(site)
    if imgs:
        return imgs[0]
    node = el
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            return None
        imgs = _IMGS(parent)
        if imgs and len(imgs) <= 3:
            return imgs[0]
        node = parent
    return None


def _jsonld_credits(doc, base) -> dict[str, tuple[str | None, str | None]]:
    """Image file name -> (caption, credit) from JSON-LD ImageObjects, to fill credits the markup hides."""
    out: dict[str, tuple[str | None, str | None]] = {}
    stack = list(jsonld_objects(doc))
    seen = 0
    while stack and seen < 500:
        obj = stack.pop()
        seen += 1
        if not isinstance(obj, dict):
            continue
        for v in obj.values():
            if isinstance(v, dict):
                stack.append(v)
            elif isinstance(v, list):
                stack.extend(x for x in v if isinstance(x, dict))
        url = text_of(obj.get("contentUrl") or obj.get("url"))
        if not url:
            continue
        credit = text_of(obj.get("creditText")) or text_of(obj.get("copyrightHolder")) or \
            text_of(obj.get("author")) or text_of(obj.get("creator"))
        caption = text_of(obj.get("caption")) or text_of(obj.get("description"))
        if credit or caption:
            out[_key(url)] = (caption, credit)
    return out


def _key(url: str) -> str:
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1].casefold()


def extract_captions(doc, url):
    """Every captioned image of the page as ``Caption(src, alt, caption, credit)``, in page order."""
    p = patterns()
    credit_re = re.compile("|".join(re.escape(c) for c in p.credit_classes), re.I)
    out: list[Caption] = []
    used: set = set()
    seen: set = set()
    jl = None
    for site in _sites(doc):
        tag = site.tag if isinstance(site.tag, str) else ""
        if site in used:
            continue
        if tag == "figure":
            caps = site.xpath("descendant::figcaption")
            cap_el = caps[0] if caps else None
            if cap_el is None:
                for d in site.iterdescendants():
                    if isinstance(d.tag, str) and d.tag not in _NOT_CAPTION_TAGS and _caption_attr(_classes(d)):
                        cap_el = d
                        break
            if cap_el is None:
                continue
        else:
            if tag in _NOT_CAPTION_TAGS:
                continue
            if site.get("itemprop") not in ("caption", "description") and not _caption_attr(_classes(site)):
                continue
            if _inside(site, used) or any(a.tag == "figure" for a in site.iterancestors()):
                continue
            cap_el = site
        used.add(site)
        used.add(cap_el)
        for d in cap_el.iterdescendants():
            used.add(d)
        caption, credit_texts = _texts(cap_el, credit_re)
        credit = None
        if credit_texts:
            credit = clean_credit("; ".join(dict.fromkeys(c for c in (clean_credit(t) for t in credit_texts) if c)))
        if tag == "figure" and not credit:
            for d in site.iterdescendants():
                if d is cap_el or not isinstance(d.tag, str) or _inside(d, {cap_el}):
                    continue
                if d.tag not in ("img", "picture", "source") and _is_credit_el(d, credit_re):
                    credit = clean_credit(_clean(d.text_content()))
                    if credit:
                        break
        if caption and not credit:
            caption, credit = split_credit(caption)
        caption = _LABEL_CAPTION.sub("", caption).strip(_SEP_TRAIL) if caption else caption
        if credit and caption and caption.endswith(credit):
            caption = caption[: -len(credit)].rstrip(_SEP_TRAIL)
        img = _image_near(cap_el, site)
        if not caption or len(caption) > _MAX_CAPTION:
            continue
        if tag != "figure" and (img is None or len(caption.split()) < 3 or _in_chrome(cap_el)):
            continue
        src = _src(img, url) if img is not None else None
        if src and not credit:
            if jl is None:
                jl = _jsonld_credits(doc, url)
            hit = jl.get(_key(src))
            if hit and hit[1]:
                credit = clean_credit(hit[1])
        key = (src, (caption or "").casefold())
        if key in seen:
            continue
        seen.add(key)
        alt = _clean(img.get("alt")) if img is not None else ""
        out.append(Caption(src=src, alt=alt or None, caption=caption or None, credit=credit))
    return out


_LABEL_CAPTION = re.compile(r"^\s*(?:image caption|caption|bildunterschrift|légende|leyenda|didascalia)\s*:?\s*", re.I)


def _in_chrome(el) -> bool:
    """In navigation, header, footer or an aside: account menus and teasers, not article images."""
    return any(isinstance(a.tag, str) and a.tag in ("nav", "header", "footer", "aside") for a in el.iterancestors())


def _inside(el, nodes: set) -> bool:
    return any(a in nodes for a in el.iterancestors())
