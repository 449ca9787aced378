"""django-pwa is an installed app: its view serves the service worker and its manifest template
writes the manifest, filled per request with the look of the phone asking (its own manifest view
and meta tag read one set of settings for the whole site, so they are not used). Its sample
icons, splash screens, font and CSS are never collected, so nobody can fetch them."""

from pathlib import Path

import pwa
import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.urls import resolve
from pwa.views import service_worker

PWA_DIR = Path(pwa.__file__).resolve().parent


def test_django_pwa_is_installed_and_serves_the_worker(client, db):
    assert apps.is_installed("pwa") and resolve("/sw.js").func is service_worker
    assert client.get("/sw.js").content == Path(__file__).resolve().parents[2].joinpath("static/js/sw.js").read_bytes()


@pytest.mark.parametrize(("look", "language", "name"), [("calculator", "en", "Calculator"), ("notes", "es", "Notas"),
                                                        ("weather", "es", "El tiempo"), ("plain", "en", "Portal")])
def test_the_manifest_is_django_pwas_template_in_the_phones_look(client, db, look, language, name):
    client.cookies["look"] = look
    client.cookies["django_language"] = language
    answer = client.get("/manifest.webmanifest")
    used = {Path(template.origin.name).resolve() for template in answer.templates}
    assert PWA_DIR / "templates" / "manifest.json" in used
    manifest = answer.json()
    assert manifest["id"] == "/" and manifest["name"] == manifest["short_name"] == name
    assert manifest["start_url"] == f"/?d={look}" and manifest["lang"] == language
    assert all(f"/icons/{look}-" in icon["src"] for icon in manifest["icons"])
    assert "Cookie" in answer["Vary"] and answer["Content-Type"] == "application/manifest+json"


def test_django_pwas_own_sample_files_are_not_collected():
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    collected = [Path(storage.path(path)).resolve() for finder in finders.get_finders()
                 for path, storage in finder.list(ignore)]
    assert collected and not [path for path in collected if PWA_DIR in path.parents]
