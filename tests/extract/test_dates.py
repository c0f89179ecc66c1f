"""Date normalisation to ISO 8601, keeping time and offset only when the page states them."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract.dates import date_from_url, find_dates, parse_date


@pytest.mark.parametrize("value, iso", [
    ("2017-11-08T17:51:00.000Z", "2017-11-08T17:51:00+00:00"),
    ("2017-11-08T17:51:00+0100", "2017-11-08T17:51:00+01:00"),
    ("2017-11-08 17:51", "2017-11-08T17:51:00"),
    ("2017-11-08", "2017-11-08"),
    ("20171108", "2017-11-08"),
    ("1510163460", "2017-11-08T17:51:00+00:00"),
    ("Wed, 08 Nov 2017 17:51:00 GMT", "2017-11-08T17:51:00+00:00"),
    ("Nov. 8, 2017, 5:51 PM UTC", "2017-11-08T17:51:00+00:00"),
    ("8. März 2024, 12:30 Uhr", "2024-03-08"),
    ("08.11.2017", "2017-11-08"),
    ("3 de mayo de 2024", "2024-05-03"),
    ("le 12 janvier 2023 à 10h30", "2023-01-12"),
    ("Updated March 3, 2021 at 4:05 p.m. EST", "2021-03-03"),
    ("Party, 30.10.23", "2023-10-30"),
])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


def test_ambiguous_numeric_dates_follow_the_page_convention():
    assert parse_date("11/08/2017") == "2017-08-11"
    assert parse_date("11/08/2017", month_first=True) == "2017-11-08"
    assert parse_date("13/08/2017", month_first=True) == "2017-08-13"


@pytest.mark.parametrize("value", ["hello", "", None, "2099-01-01", "1850-03-04", "2021-02-30", "99/99/2020"])
def test_unreadable_or_implausible_dates_give_none(value):
    assert parse_date(value) is None


def test_machine_only_parsing_refuses_prose():
    assert parse_date("Nov. 8, 2017", with_text=False) is None


def test_url_dates_need_a_full_day():
    assert date_from_url("https://x.example/2017/11/08/story") == "2017-11-08"
    assert date_from_url("https://x.example/news/2017-11-08-story.html") == "2017-11-08"
    assert date_from_url("https://x.example/2017/11/story") is None
    assert date_from_url("https://x.example/story-123") is None
    assert date_from_url(None) is None


def test_find_dates_in_text_order():
    text = "Veröffentlicht am 3. Februar 2022, aktualisiert 2022-02-05; gedruckt 07.02.2022."
    assert [d for _, d in find_dates(text)] == [dt.date(2022, 2, 3), dt.date(2022, 2, 5), dt.date(2022, 2, 7)]


def test_shift_to_day_keeps_the_instant():
    from datetime import datetime

    from crawler.extract.dates import shift_to_day

    local = shift_to_day("2023-11-09T03:28:35+00:00", "2023-11-08")
    assert local.startswith("2023-11-08T")
    assert datetime.fromisoformat(local) == datetime.fromisoformat("2023-11-09T03:28:35+00:00")
    assert shift_to_day("2023-11-09T13:28:35+00:00", "2023-11-08") is None
    assert shift_to_day("2023-11-09T03:28:35+00:00", "2023-11-05") is None


def test_url_day_month_year_segment():
    from crawler.extract.dates import date_from_url
    assert date_from_url("https://example.org/media-news/meldungen/29-10-2021") == "2021-10-29"
    assert date_from_url("https://example.org/shop/item-29-10-2021-blue") is None


def test_two_digit_years_take_the_capture_century():
    from datetime import datetime, timezone

    from crawler.extract.dates import capture_year

    with capture_year(datetime(2026, 3, 14, tzinfo=timezone.utc)):
        assert parse_date("Posted 12.03.26") == "2026-03-12"
        assert parse_date("12/03/26") == "2026-03-12"            # day first unless the page says otherwise
        assert parse_date("03/12/26", month_first=True) == "2026-03-12"
        assert parse_date("12.03.98") == "1998-03-12"            # 2098 is after the capture
        assert parse_date("12.03.27") is None                    # 2027: after the capture, 1927: implausible
        assert parse_date("March 3, 2027") is None               # no date after the capture's year
    with capture_year(datetime(2019, 6, 1, tzinfo=timezone.utc)):
        assert parse_date("12.03.26") is None                    # a 2019 capture cannot show 2026
        assert parse_date("12.03.19") == "2019-03-12"
