"""Person names out of bylines: prefixes, roles, organisations, dates and UI text removed."""

from __future__ import annotations

import pytest

from crawler.extract.people import is_person_name, names_from_text


@pytest.mark.parametrize("byline, names", [
    ("By Randee Dawn", ["Randee Dawn"]),
    ("By Jane Doe, Staff Writer | Updated 5 min ago", ["Jane Doe"]),
    ("Von Max Muster und Erika Musterfrau, dpa", ["Max Muster", "Erika Musterfrau"]),
    ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
    ("JOHN SMITH and Jane Doe", ["John Smith", "Jane Doe"]),
    ("By Glen Owen And Brendan Carlin For The Mail On Sunday", ["Glen Owen", "Brendan Carlin"]),
    ("Christoph von Eichhorn", ["Christoph von Eichhorn"]),
    ("Text von Christian Seiler", ["Christian Seiler"]),
    ("Jose de la Cruz", ["Jose de la Cruz"]),
    ("By Michael L. Anderson, PhD", ["Michael L. Anderson"]),
    ("Sauli Giliard, Correspondent in Paris", ["Sauli Giliard"]),
    ("Anna Fazackerley Education correspondent", ["Anna Fazackerley"]),
    ("29. Juni 2017, 23:39 · von Tobi", ["Tobi"]),
    ("By Alex Bozarjian Thursday, November 9, 2023 4:41AM", ["Alex Bozarjian"]),
    ("/ Source: TODAY By Randee Dawn Nov. 8, 2017, 5:51 PM UTC", ["Randee Dawn"]),
    ("Sidney Wiltgen Sidney Wiltgen", ["Sidney Wiltgen"]),
    ("Lars Sobiraj Lesezeit", ["Lars Sobiraj"]),
    ("jane.doe@example.com @janedoe", []),
    ("Staff", []),
    ("The Associated Press", []),
    ("Reuters", []),
    ("Updated on March 3", []),
    ("Twitter Facebook", []),
])
def test_names_from_byline(byline, names):
    assert names_from_text(byline) == names


def test_names_are_deduplicated_in_page_order():
    assert names_from_text("By Jane Doe and John Roe, Jane Doe") == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize("name, ok", [
    ("Jane Doe", True), ("牛镛", True), ("Ludwig van Beethoven", True),
    ("Stand", False), ("AFP", False), ("Juni", False), ("Source: Today", False), ("Jane Doe 2", False),
])
def test_is_person_name(name, ok):
    assert is_person_name(name) is ok
