"""Person names out of bylines: prefixes, roles, organisations, dates and UI text removed."""

from __future__ import annotations

import pytest

from crawler.extract.people import credits_from_text, is_person_name, names_from_text


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


@pytest.mark.parametrize("byline, names", [
    ("Paula Steiger, SDA", ["Paula Steiger", "SDA"]),
    ("Von Max Muster und Erika Musterfrau, dpa", ["Max Muster", "Erika Musterfrau", "dpa"]),
    ("dsw / DPA", ["DPA"]),
    ("APA/AP", ["APA", "AP"]),
    ("The Associated Press", ["The Associated Press"]),
    ("By Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Olympia-Verlag GmbH, Nürnberg, Germany", []),
    ("Kirche und Leben, Münster, Germany", []),
])
def test_agencies_are_kept_beside_persons(byline, names):
    """Lead's policy: wire services credited in a byline are authors, written as the page writes them."""
    assert names_from_text(byline, agencies=True) == names


@pytest.mark.parametrize("byline, names", [
    ("Ingo Arzt Redakteur für Wirtschaft und Umwelt", ["Ingo Arzt"]),
    ("Georg Quaas , 21. Jan. 2015 Eine realistische Interpretation 3.17 5 12 Stimmen", ["Georg Quaas"]),
    ("Patrick Hyslop Anhören", ["Patrick Hyslop"]),
    ("신현주 기자", ["신현주"]),
    ("Nicole Opitz, Gesundheit, Derzeit", ["Nicole Opitz"]),
    ("Isabel Caro, Rocío Latorre y José Miguel Wilson Hace 2 horas", ["Isabel Caro", "Rocío Latorre", "José Miguel Wilson"]),
])
def test_labels_and_roles_beside_a_name_are_cut(byline, names):
    assert names_from_text(byline) == names


@pytest.mark.parametrize("text, credits", [
    ("hessenschau.de, Frankfurt, Germany", ["hessenschau.de"]),
    ("red, ORF.at/ Agenturen", ["ORF.at"]),
    ("By MND Staff", ["MND Staff"]),
    ("srf/hosb;kesm", ["srf", "hosb", "kesm"]),
    ("von lupa am 26/10/13, 03:48 pm", ["lupa"]),
    ("Redaktion", []), ("Staff Writer", []), ("Admin", []), ("Gesponserte Inhalte", []),
    ("Perform Media Deutschland GmbH", []), ("Germany", []), ("Co. KG Informationsstelle", []),
    ("jesusfreak jesusfreak", ["jesusfreak"]), ("gnaddrig sagt:", []),
])
def test_credits_when_no_person_is_named(text, credits):
    """Organisations, desks and handles a page credits; never roles, staff labels, places, UI or companies."""
    assert credits_from_text(text) == credits
