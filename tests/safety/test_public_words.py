"""Nothing served to someone logged out says what this service is: not a page in any look or
language, not an error page, not a static file (compressed copies included). Someone who
picks up her phone may read the browser's cache; all of it must look like the disguise."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from survivor_portal.safety.disguises import DISGUISES

# Words and phrases that would tell a watcher what this is, in English and Spanish.
WORDS = [
    r"surviv\w*", r"traffick\w*", r"abus\w*", r"shelter\w*", r"advocat\w*", r"victim\w*", r"quick[\s-]+exit",
    r"safety[\s-]+plan\w*", r"violen\w*", r"escap\w*", r"domestic", r"refuge\w*", r"exploit\w*", r"gender[\s-]+based",
    r"perpetrat\w*", r"batter(ed|er)", r"assault\w*", r"rape", r"stalk\w*", r"hotline", r"crisis",
    r"sobreviv\w*", r"supervivi\w*", r"trata", r"v[ií]ctima\w*", r"violencia", r"maltrat\w*", r"abuso\w*",
    r"albergue\w*", r"refugio\w*", r"acompa[ñn]ante\w*", r"salida\s+r[aá]pida", r"plan\w*\s+de\s+seguridad",
    r"escapar", r"huir", r"dom[eé]stic[ao]", r"agresor\w*", r"explotaci[oó]n",
]
FORBIDDEN = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)
# "escape" is also a programming word (CSS.escape, escaping HTML); libraries we ship unchanged
# (Django's admin, htmx, the API docs viewer) use it only so. Our own files get no such pass.
CODE_WORDS = re.compile(r"\bescap\w*\b", re.IGNORECASE)
OUR_STATIC = (Path(settings.BASE_DIR) / "static").resolve()
UPSTREAM = {"js/htmx.min.js"}  # htmx, vendored byte for byte

LOOKS = list(DISGUISES)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def found_in(text: str, *, ours: bool = True) -> list[str]:
    hits = [match.group(0) for match in FORBIDDEN.finditer(text)]
    return hits if ours else [hit for hit in hits if not CODE_WORDS.fullmatch(hit)]


def _visitor(look: str, language: str, **options) -> Client:
    client = Client(**options)
    client.cookies["look"] = look
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _logged_out_answers(look: str, language: str) -> dict[str, bytes]:
    visitor = _visitor(look, language)
    answers = {}
    for show in ["login", "join", "recover"]:  # every logged-out screen answers at the start address
        answers[f"POST / show={show}"] = visitor.post("/", {"show": show}, follow=True).content
    for path in ["/", "/staying-safe", "/offline", f"/offline?d={look}",
                 "/manifest.webmanifest", "/sw.js", "/no-such-page", "/api/v1/openapi.json", "/api/v1/docs",
                 "/api/v1/", "/api/v1/me", "/api/v1/goals", "/admin/login/"]:
        answers[f"GET {path}"] = visitor.get(path, follow=True).content
    answers["GET /exit"] = visitor.get("/exit").content  # its redirect leads off this site
    for path, data in [
        ("/", {"key": "=", "expression": "12+3"}),
        ("/", {"screen": "cover", "key": "=", "expression": "2580"}),
        ("/", {"screen": "cover", "key": "÷", "expression": "7"}),
        ("/", {"screen": "cover", "q": "Lisbon"}),
        ("/", {"screen": "cover", "q": "zzqx"}),
        ("/", {"screen": "login", "username": "someone", "password": "not it"}),
        ("/", {"screen": "join", "code": "ABCD-EFGH"}),
        ("/", {"screen": "recover", "username": "someone", "code": "nope", "new_password": "x", "new_password_again": "y"}),
    ]:
        answers[f"POST {path} {data}"] = visitor.post(path, data, follow=True).content
    forged = _visitor(look, language, enforce_csrf_checks=True)
    answers["403 CSRF"] = forged.post("/", {"screen": "login", "username": "someone", "password": "x"}).content
    return answers


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("look", LOOKS)
def test_nothing_a_logged_out_visitor_gets_names_the_service(db, look, language):
    found = {what: hits for what, body in _logged_out_answers(look, language).items()
             if (hits := found_in(body.decode("utf-8", "replace")))}
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_page_names_nothing(db, monkeypatch, language):
    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr("survivor_portal.views.login_view", broken)  # what "/" shows in the plain look
    answer = _visitor("plain", language, raise_request_exception=False).get("/")
    assert answer.status_code == 500
    assert found_in(answer.content.decode()) == []


def _collected_files() -> list[Path]:
    root = Path(settings.STATIC_ROOT)
    assert root.is_dir(), "run `make static` first: the test reads what collectstatic produced"
    return [path for path in root.rglob("*") if path.is_file()]


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    elif path.suffix == ".br":
        data = brotli.decompress(data)
    return data.decode("utf-8", "replace")


def _is_ours(relative: str) -> bool:
    """Written by us (static/), not shipped by a library; hashed and compressed copies included."""
    original = re.sub(r"\.[0-9a-f]{12}(?=\.)", "", re.sub(r"\.(gz|br)$", "", relative))
    source = finders.find(original)
    return original not in UPSTREAM and source is not None and Path(source).resolve().is_relative_to(OUR_STATIC)


def test_no_collected_static_file_names_the_service():
    root = Path(settings.STATIC_ROOT)
    found = {}
    for path in _collected_files():
        relative = path.relative_to(root).as_posix()
        if hits := found_in(_text_of(path), ours=_is_ours(relative)):
            found[relative] = sorted(set(hits))
    assert found == {}


def test_the_word_list_catches_what_it_should():
    assert found_in("/* Survivor Portal: quick exit */") == ["Survivor", "quick exit"]
    assert found_in("Plan de seguridad y salida rápida") == ["Plan de seguridad", "salida rápida"]
    assert found_in("let n = CSS.escape(id)", ours=False) == []
    assert found_in("let n = CSS.escape(id)") == ["escape"]
    assert found_in("Calculator · Weather · Notes · Exit · Portal") == []
    assert _is_ours("js/app.js") and not _is_ours("js/htmx.min.js") and not _is_ours("admin/js/core.js")
