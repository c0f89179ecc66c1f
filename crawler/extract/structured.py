"""Metadata from structured data and meta tags. Placeholder: the extraction work replaces this."""

from __future__ import annotations


def extract_metadata(doc, url):
    def meta(prop):
        values = doc.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
        return values[0].strip() if values else None

    h1 = doc.xpath("//h1")
    return {
        "headline": meta("og:title") or (h1[0].text_content().strip() if h1 else None),
        "description": meta("og:description") or meta("description"),
        "published": meta("article:published_time"),
        "site_name": meta("og:site_name"),
    }
