"""The covers pass for the everyday apps they copy: a phone's calculator, a weather page, notes."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from survivor_portal.safety import calc, covers


@pytest.mark.parametrize("expression, shown", [
    ("123400002580+0", "123400002580"),
    ("0.1+0.2", "0.3"),
    ("12+3", "15"),
    ("3-5", "-2"),
    ("1÷3", "0.333333333333"),
    ("2÷3", "0.666666666667"),
    ("1÷3×3", "1"),
    ("10÷4", "2.5"),
    ("2+3×4", "14"),
    ("99999999×99999999", "9.9999998e15"),
    ("123456789012345", "123456789012345"),
    ("1÷1000000000000", "1e-12"),
    ("5+", "5"),
    ("1÷0", "Error"),
    ("1.2.3+1", "Error"),
])
def test_sums_are_exact_decimals_and_quotients_are_rounded_like_a_phone(expression, shown):
    assert calc.evaluate(expression) == shown


def test_after_equals_a_digit_starts_a_new_number_and_an_operator_goes_on():
    expression, display, fresh = calc.press("2580", "=")
    assert (display, fresh) == ("2580", True)
    assert calc.press(expression, "1", fresh)[:2] == ("1", "1")
    assert calc.press(expression, "+", fresh)[:2] == ("2580+", "2580+")
    assert calc.press("1÷0", "=")[:2] == ("", "Error")


def test_places_are_found_in_either_language_and_nonsense_is_not():
    assert covers.place_search("lisboa").en == "Lisbon"
    assert covers.place_search("Lisbon, Portugal").en == "Lisbon"
    assert covers.place_search("bogota").en == "Bogotá"
    assert covers.place_search("Ciudad de Mexico").en == "Mexico City"
    assert covers.place_search("new y").en == "New York"
    for nonsense in ["zzqx", "2468", "!!", "a"]:
        assert covers.place_search(nonsense) is None
    with translation.override("es"):
        assert covers.weather_page("London", date(2026, 3, 1))["place"] == "Londres"


def test_the_forecast_is_the_same_all_day_and_changes_from_day_to_day():
    lisbon = covers.place_search("Lisbon")
    today = date(2026, 12, 2)
    assert covers.forecast(lisbon, today) == covers.forecast(lisbon, today)
    assert covers.forecast(lisbon, today)[1] == covers.forecast(lisbon, today + timedelta(days=1))[0]
    week = [(day.sky, day.high) for day in covers.forecast(lisbon, today, days=14)]
    assert len(set(week)) > 3
    assert covers.forecast(covers.place_search("Cairo"), today) != covers.forecast(lisbon, today)


def test_the_forecast_follows_the_seasons():
    toronto = covers.place_search("Toronto")
    january = [day.high for day in covers.forecast(toronto, date(2026, 1, 10), days=7)]
    july = [day.high for day in covers.forecast(toronto, date(2026, 7, 10), days=7)]
    assert max(january) < 10 < min(july)
    sydney = covers.place_search("Sydney")
    assert covers.forecast(sydney, date(2026, 1, 10))[0].high > covers.forecast(sydney, date(2026, 7, 10))[0].high


def test_weather_cover_answers_a_city_and_says_no_places_only_for_nonsense(client, db):
    client.cookies["look"] = "weather"
    found = client.post("/", {"q": "Madrid"}).content.decode()
    assert "Madrid" in found and "No places found" not in found
    assert "No places found" in client.post("/", {"q": "zzqx"}).content.decode()


def test_notes_cover_search_finds_a_note(client, db):
    client.cookies["look"] = "notes"
    page = client.post("/", {"q": "soup"}).content.decode()
    assert "Lentils" in page and "Rice" not in page and "No notes match" not in page
