"""Bytes -> text -> lxml tree. Placeholder: the extraction work replaces this."""

from __future__ import annotations

import lxml.html


def decode_html(html, headers=None):
    if isinstance(html, str):
        return html, []
    return html.decode("utf-8", errors="replace"), []


def parse_html(text):
    if not text or not text.strip():
        return None
    return lxml.html.document_fromstring(text)
