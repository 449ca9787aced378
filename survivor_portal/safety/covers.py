"""What the weather and notes covers show. They must pass for the everyday apps they copy: a
search for a real city finds it, and the forecast changes from day to day, the same for
everyone who looks on the same day (seeded by the place and the date, no network)."""

import hashlib
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Place:
    en: str
    es: str
    country_en: str
    country_es: str
    january: int  # typical daytime high, °C
    july: int
    spread: int  # how much cooler the night is
    wet: float  # share of days with rain

    def name(self) -> str:
        return self.es if _spanish() else self.en

    def country(self) -> str:
        return self.country_es if _spanish() else self.country_en


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


_US, _ES, _MX, _BR, _CO = ("USA", "EE. UU."), ("Spain", "España"), ("Mexico", "México"), ("Brazil", "Brasil"), ("Colombia", "Colombia")
PLACES = [
    Place("London", "Londres", "UK", "Reino Unido", 8, 23, 8, 0.45),
    Place("Manchester", "Mánchester", "UK", "Reino Unido", 7, 20, 7, 0.5),
    Place("Dublin", "Dublín", "Ireland", "Irlanda", 8, 19, 7, 0.5),
    Place("Paris", "París", "France", "Francia", 7, 25, 9, 0.35),
    Place("Madrid", "Madrid", *_ES, 10, 32, 13, 0.15),
    Place("Barcelona", "Barcelona", *_ES, 14, 29, 8, 0.2),
    Place("Seville", "Sevilla", *_ES, 16, 36, 15, 0.12),
    Place("Valencia", "Valencia", *_ES, 16, 30, 9, 0.15),
    Place("Lisbon", "Lisboa", "Portugal", "Portugal", 15, 28, 9, 0.2),
    Place("Rome", "Roma", "Italy", "Italia", 12, 31, 11, 0.2),
    Place("Berlin", "Berlín", "Germany", "Alemania", 3, 24, 8, 0.35),
    Place("Amsterdam", "Ámsterdam", "Netherlands", "Países Bajos", 6, 22, 7, 0.45),
    Place("Athens", "Atenas", "Greece", "Grecia", 13, 33, 9, 0.12),
    Place("Istanbul", "Estambul", "Türkiye", "Turquía", 9, 29, 7, 0.25),
    Place("Cairo", "El Cairo", "Egypt", "Egipto", 19, 35, 13, 0.02),
    Place("Lagos", "Lagos", "Nigeria", "Nigeria", 32, 28, 6, 0.35),
    Place("Nairobi", "Nairobi", "Kenya", "Kenia", 26, 22, 12, 0.3),
    Place("Johannesburg", "Johannesburgo", "South Africa", "Sudáfrica", 26, 17, 13, 0.3),
    Place("Mumbai", "Bombay", "India", "India", 31, 30, 7, 0.4),
    Place("Delhi", "Delhi", "India", "India", 21, 35, 10, 0.2),
    Place("Bangkok", "Bangkok", "Thailand", "Tailandia", 32, 33, 9, 0.35),
    Place("Manila", "Manila", "Philippines", "Filipinas", 30, 31, 7, 0.4),
    Place("Tokyo", "Tokio", "Japan", "Japón", 10, 30, 7, 0.3),
    Place("Seoul", "Seúl", "South Korea", "Corea del Sur", 2, 29, 8, 0.3),
    Place("Beijing", "Pekín", "China", "China", 2, 31, 10, 0.2),
    Place("Sydney", "Sídney", "Australia", "Australia", 26, 17, 8, 0.3),
    Place("New York", "Nueva York", *_US, 4, 29, 8, 0.3),
    Place("Los Angeles", "Los Ángeles", *_US, 20, 29, 10, 0.08),
    Place("Chicago", "Chicago", *_US, 0, 29, 9, 0.3),
    Place("Houston", "Houston", *_US, 17, 34, 10, 0.3),
    Place("Miami", "Miami", *_US, 24, 33, 7, 0.35),
    Place("Phoenix", "Phoenix", *_US, 19, 41, 14, 0.05),
    Place("Toronto", "Toronto", "Canada", "Canadá", -1, 27, 9, 0.3),
    Place("Mexico City", "Ciudad de México", *_MX, 22, 23, 12, 0.3),
    Place("Guadalajara", "Guadalajara", *_MX, 25, 27, 13, 0.25),
    Place("Monterrey", "Monterrey", *_MX, 21, 35, 11, 0.2),
    Place("Tijuana", "Tijuana", *_MX, 20, 26, 10, 0.1),
    Place("Guatemala City", "Ciudad de Guatemala", "Guatemala", "Guatemala", 24, 25, 11, 0.35),
    Place("San Salvador", "San Salvador", "El Salvador", "El Salvador", 30, 30, 11, 0.35),
    Place("Tegucigalpa", "Tegucigalpa", "Honduras", "Honduras", 26, 28, 11, 0.3),
    Place("Managua", "Managua", "Nicaragua", "Nicaragua", 31, 31, 9, 0.3),
    Place("San José", "San José", "Costa Rica", "Costa Rica", 24, 25, 8, 0.4),
    Place("Panama City", "Ciudad de Panamá", "Panama", "Panamá", 31, 30, 7, 0.4),
    Place("Havana", "La Habana", "Cuba", "Cuba", 26, 32, 8, 0.3),
    Place("Santo Domingo", "Santo Domingo", "Dominican Republic", "República Dominicana", 29, 31, 8, 0.35),
    Place("San Juan", "San Juan", "Puerto Rico", "Puerto Rico", 28, 31, 7, 0.4),
    Place("Bogotá", "Bogotá", *_CO, 19, 18, 10, 0.45),
    Place("Medellín", "Medellín", *_CO, 28, 28, 10, 0.45),
    Place("Caracas", "Caracas", "Venezuela", "Venezuela", 26, 27, 9, 0.3),
    Place("Quito", "Quito", "Ecuador", "Ecuador", 19, 19, 9, 0.45),
    Place("Lima", "Lima", "Peru", "Perú", 26, 19, 5, 0.05),
    Place("La Paz", "La Paz", "Bolivia", "Bolivia", 14, 13, 14, 0.25),
    Place("Santiago", "Santiago", "Chile", "Chile", 30, 15, 14, 0.1),
    Place("Buenos Aires", "Buenos Aires", "Argentina", "Argentina", 30, 15, 9, 0.25),
    Place("Montevideo", "Montevideo", "Uruguay", "Uruguay", 28, 14, 8, 0.25),
    Place("São Paulo", "São Paulo", *_BR, 28, 22, 9, 0.4),
    Place("Rio de Janeiro", "Río de Janeiro", *_BR, 30, 25, 7, 0.3),
]
# Before she searches: somewhere mild, without a name that could place her.
HERE = Place("Your area", "Tu zona", "", "", 12, 24, 9, 0.3)

DRY = [_("Sunny"), _("Mostly sunny"), _("Partly cloudy"), _("Cloudy")]
WET = [_("Showers"), _("Light rain"), _("Rain"), _("Thunderstorms")]
SNOW = _("Snow")


@dataclass(frozen=True)
class Day:
    day: date
    weekday: str
    sky: str
    high: int
    low: int
    wind: int


def _plain(text: str) -> str:
    """Lower case without accents, so "bogota" finds Bogotá and "sevilla" finds Seville."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch)).strip()


def place_search(query: str) -> Place | None:
    """The best match in either language: the whole name, then its start, then any part of it."""
    wanted = _plain(query.split(",")[0])
    if len(wanted) < 2:
        return None
    names = [(place, _plain(name)) for place in PLACES for name in (place.en, place.es)]
    for fits in (lambda name: name == wanted, lambda name: name.startswith(wanted),
                 lambda name: len(wanted) >= 3 and wanted in name):
        for place, name in names:
            if fits(name):
                return place
    return None


def forecast(place: Place, start: date, days: int = 6) -> list[Day]:
    return [_day(place, start + timedelta(days=offset)) for offset in range(days)]


def _day(place: Place, day: date) -> Day:
    seed = hashlib.sha256(f"{place.en}|{day.isoformat()}".encode()).digest()
    rng = random.Random(seed)
    # Warmest near mid-July (or mid-January, for places whose January is warmer).
    season = math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365)
    high = round((place.january + place.july) / 2 + (place.july - place.january) / 2 * season + rng.uniform(-3, 3))
    low = high - place.spread + rng.randint(-2, 2)
    if rng.random() < place.wet:
        sky = SNOW if high <= 2 else rng.choice(WET)
    else:
        sky = rng.choice(DRY)
    return Day(day, dateformat.format(day, "D"), str(sky), high, low, rng.randint(4, 30))


def weather_page(query: str, today: date) -> dict:
    found = place_search(query) if query else None
    place = found or HERE
    days = forecast(place, today)
    now = days[0]
    return {
        "place": place.name(),
        "country": place.country(),
        "now": now,
        "now_temp": round((now.high * 2 + now.low) / 3),
        "week": days[1:],
        "not_found": bool(query) and found is None,
    }


NOTES = [
    (_("Shopping"), _("Rice, onions, tomatoes, milk, bread, washing-up liquid")),
    (_("Soup"), _("Lentils 1 cup, carrot, cumin. Simmer 25 minutes.")),
    (_("To do"), _("Return library books. Top up phone credit.")),
]


def notes_page(query: str) -> dict:
    wanted = _plain(query)
    notes = [(str(title), str(body)) for title, body in NOTES]
    matching = [note for note in notes if wanted in _plain(note[0]) or wanted in _plain(note[1])]
    return {"notes": matching if query else notes}
