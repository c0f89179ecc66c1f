"""Image captions and credits. Placeholder: the extraction work replaces this."""

from __future__ import annotations

from crawler.extract.article import Caption


def extract_captions(doc, url):
    out = []
    for fig in doc.xpath("//figure[figcaption]"):
        img = fig.xpath(".//img")
        out.append(Caption(src=img[0].get("src") if img else None,
                           alt=img[0].get("alt") if img else None,
                           caption=fig.xpath("string(.//figcaption)").strip() or None))
    return out
