"""Charset decisions: declarations are trusted only as far as the bytes agree."""

from __future__ import annotations

import codecs

import pytest

from crawler.extract import extract
from crawler.extract.encoding import decode_html, header_charset, meta_charset

FRENCH = ("Café crème brûlée à la française, naïve façade. Ça coûte très cher, évidemment, "
          "mais c'est délicieux et l'été dernier tout le monde en a mangé.")
RUSSIAN = "Привет, как дела? Это очень длинный абзац русского текста для проверки кодировки страницы."


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><article><p>{text}</p></article></body></html>"


def test_header_charset_is_used():
    text, warnings = decode_html(page(RUSSIAN).encode("koi8-r"), {"Content-Type": "text/html; charset=KOI8-R"})
    assert RUSSIAN in text and warnings == []


def test_meta_charset_and_http_equiv_are_used():
    for head in ('<meta charset="windows-1251">',
                 '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'):
        text, warnings = decode_html(page(RUSSIAN, head).encode("cp1251"))
        assert RUSSIAN in text and warnings == []


def test_bom_wins_over_declarations():
    data = codecs.BOM_UTF16_LE + page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-16-le")
    text, _ = decode_html(data, {"Content-Type": "text/html; charset=iso-8859-1"})
    assert FRENCH in text
    text, _ = decode_html(codecs.BOM_UTF8 + page(FRENCH).encode("utf-8"), {"Content-Type": "text/html; charset=cp1251"})
    assert FRENCH in text and not text.startswith("\ufeff")


def test_header_says_utf8_but_bytes_are_cp1252():
    data = page(FRENCH, '<meta charset="utf-8">').encode("cp1252")
    article = extract(data, "https://example.test/a", {"Content-Type": "text/html; charset=utf-8"})
    assert article.body == FRENCH
    assert any("does not match" in w for w in article.warnings)


def test_latin1_label_on_utf8_bytes_decodes_as_utf8():
    text, warnings = decode_html(page(FRENCH).encode("utf-8"), {"content-type": "text/html; charset=ISO-8859-1"})
    assert FRENCH in text
    assert warnings and "utf-8" in warnings[0]


def test_undeclared_cyrillic_is_detected():
    text, _ = decode_html(page(RUSSIAN + " " + RUSSIAN).encode("cp1251"))
    assert RUSSIAN in text


def test_unknown_label_is_a_warning_not_an_error():
    text, warnings = decode_html(page(FRENCH).encode("utf-8"), {"Content-Type": "text/html; charset=x-no-such"})
    assert FRENCH in text
    assert any("unknown charset" in w for w in warnings)


@pytest.mark.parametrize("headers, expected", [
    ({"Content-Type": "text/html; charset=\"UTF-8\""}, "UTF-8"),
    ({"content-type": "text/html"}, None),
    ({b"Content-Type": b"text/html;charset=gbk"}, "gbk"),
    (None, None),
])
def test_header_charset_parsing(headers, expected):
    assert header_charset(headers) == expected


def test_meta_charset_found_after_a_big_inline_script():
    data = b"<html><head><script>" + b"x" * 5000 + b"</script><meta charset='shift_jis'></head></html>"
    assert meta_charset(data) == "shift_jis"


def test_one_stray_byte_does_not_turn_a_utf8_page_into_mojibake():
    data = page(FRENCH * 5).encode("utf-8").replace(b"</p>", b"\xff</p>", 1)
    for headers in ({"Content-Type": "text/html; charset=utf-8"}, None):
        text, warnings = decode_html(data, headers)
        assert FRENCH in text and "Ã" not in text
        assert any("replaced" in w for w in warnings)


def test_mostly_cp1252_is_not_read_as_utf8():
    data = page(FRENCH).encode("cp1252")
    text, _ = decode_html(data, {"Content-Type": "text/html; charset=utf-8"})
    assert FRENCH in text
