""""This may identify you": links with any top-level domain, phone numbers as people write them in
the agency's country, e-mail and street addresses; never a date, a time or an amount."""

import pytest

from peer_support.groups import checks, services
from peer_support.groups.models import Post
from survivor_portal.errors import Invalid

# (agency's time zone, what she writes, flagged)
SAMPLES = [
    # Links, every top-level domain
    ("America/Toronto", "shelterhelp.ca has a list of beds", True),
    ("America/Bogota", "busca en ayuda.co", True),
    ("Europe/Berlin", "schau mal auf frauenhaus-hilfe.de", True),
    ("Europe/London", "the form is on refuge.org.uk", True),
    ("America/New_York", "my page is example.com", True),
    ("America/New_York", "see https://example.org/about", True),
    ("America/New_York", "www.mysite.net has photos", True),
    ("Europe/London", "my shop is lunabakes.london", True),
    ("America/New_York", "I made an app: mybudget.app", True),
    ("America/Mexico_City", "sígueme en instagram.com/luna.azul", True),
    # Phone numbers, each country's way
    ("America/New_York", "Call me on 555 010 0199", True),
    ("America/New_York", "my cell is (212) 555-0143", True),
    ("America/Chicago", "text 312.555.0187 after 6", True),
    ("America/New_York", "call 2125550143 anytime", True),
    ("US/Eastern", "text me 917-555-0182", True),
    ("America/Mexico_City", "mi cel es 55 1234 5678", True),
    ("America/Mexico_City", "llámame al 33 3615 0000", True),
    ("America/Mexico_City", "mi número +52 1 55 1234 5678", True),
    ("Europe/Madrid", "mi móvil es 612 34 56 78", True),
    ("Europe/Madrid", "llama al 91 123 45 67", True),
    ("Europe/Berlin", "ruf an: 030 12345678", True),
    ("Europe/Berlin", "Handy 0151 23456789", True),
    ("Europe/London", "ring me on 020 7946 0018", True),
    ("Europe/London", "my mobile is 07700 900123", True),
    ("America/Bogota", "mi número es 300 123 4567", True),
    ("UTC", "whatsapp +44 7700 900123", True),
    ("Asia/Ho_Chi_Minh", "gọi cho tôi 0912 345 678", True),
    # E-mail and street addresses
    ("America/New_York", "write to maya@example.org", True),
    ("America/New_York", "I live at 12 Elm Street", True),
    ("America/Mexico_City", "vivo en Calle Mayor 5", True),
    ("Europe/Madrid", "estoy en la Avenida de América 24", True),
    # Dates, times, amounts, and everyday words: never flagged
    ("America/New_York", "I went for a walk today", False),
    ("America/New_York", "We met at 5 pm", False),
    ("America/New_York", "Week 12 of my course", False),
    ("America/New_York", "2 kids and 1 dog", False),
    ("Europe/Berlin", "Termin am 2026-03-14 um 10:30", False),
    ("America/Bogota", "la cita es el 2026-03-14", False),
    ("Europe/Berlin", "am 14.03.2026 habe ich frei", False),
    ("Europe/Madrid", "el 14-03-2026 a las 17:30", False),
    ("America/New_York", "court date 03/14/2026 at 9:15", False),
    ("Europe/London", "on 14 03 2026 I start", False),
    ("Europe/Berlin", "von 10.30-11.45 Uhr", False),
    ("Europe/Berlin", "Ausbildung 2025-2026", False),
    ("America/Bogota", "la fecha es 20260314", False),
    ("America/Mexico_City", "de 9.00 a 17.00 y el 2026-03-14T10:30", False),
    ("America/New_York", "rent is $1,250.00 a month", False),
    ("America/New_York", "I saved $12,000,000 in my dreams", False),
    ("Europe/Madrid", "me costó 1.250,00 €", False),
    ("Europe/Berlin", "kostet 1.299,00 € im Monat", False),
    ("America/Mexico_City", "gané 15000000 pesos en la lotería, ojalá", False),
    ("America/Mexico_City", "cuesta $1,500.00 pesos", False),
    ("Europe/London", "£1,250 for the deposit", False),
    ("America/New_York", "room 1204, second floor", False),
    ("Europe/Madrid", "el 016 atiende todo el día", False),
    ("America/New_York", "I felt ok.Then I slept", False),
    ("America/New_York", "version 2.0 of my plan", False),
    ("America/New_York", "e.g. a walk, a.m. or p.m.", False),
    ("Europe/Berlin", "Kapitel 3.2 war schwer", False),
]


@pytest.mark.parametrize(("zone", "text", "flagged"), SAMPLES)
def test_what_may_identify_someone_is_found_in_her_agencys_country(zone, text, flagged):
    region = checks.phone_region(type("Agency", (), {"time_zone": zone})())
    assert checks.may_identify(text, region=region) is flagged


def test_there_are_enough_samples_both_ways():
    assert sum(flagged for *_rest, flagged in SAMPLES) >= 20 and sum(not flagged for *_rest, flagged in SAMPLES) >= 20


@pytest.mark.parametrize(("zone", "region"), [("America/Mexico_City", "MX"), ("Europe/Berlin", "DE"),
                                              ("America/Bogota", "CO"), ("Europe/London", "GB"),
                                              ("US/Eastern", "US"), ("Asia/Saigon", "VN"), ("UTC", "US")])
def test_the_region_comes_from_the_agencys_time_zone(zone, region):
    assert checks.phone_region(type("Agency", (), {"time_zone": zone})()) == region


def test_a_zone_of_no_country_uses_the_setting(settings):
    settings.PHONE_REGION = "ES"
    assert checks.phone_region(type("Agency", (), {"time_zone": "Etc/UTC"})()) == "ES"
    assert checks.may_identify("mi móvil es 612 34 56 78")


def test_a_group_asks_first_about_a_number_written_the_way_its_agency_writes_them(circle, survivor):
    circle.agency.time_zone = "Europe/Berlin"
    circle.agency.save(update_fields=["time_zone"])
    with pytest.raises(Invalid) as asked:
        services.post_create(actor=survivor, group_id=circle.pk, body="Handy 0151 23456789")
    assert asked.value.code == "may_identify" and not Post.objects.exists()
    services.post_create(actor=survivor, group_id=circle.pk, body="Termin am 14.03.2026 um 10:30")
    assert Post.objects.count() == 1
