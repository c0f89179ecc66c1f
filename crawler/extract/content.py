"""Main text and boilerplate removal. Placeholder: the extraction work replaces this."""

from __future__ import annotations


def extract_body(doc, url, meta):
    paras = [p.text_content().strip() for p in doc.xpath("//article//p | //main//p")]
    return "\n\n".join(p for p in paras if p)
