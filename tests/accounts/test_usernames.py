"""Usernames nobody can copy with look-alike letters: unique by TR39 skeleton and NFKC case-fold,
one alphabet per name, on every way a username is set."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import translation

from survivor_portal.accounts import services
from survivor_portal.accounts.models import User
from survivor_portal.accounts.usernames import is_one_script, username_key
from survivor_portal.errors import Invalid

PASSPHRASE = "quiet harbour at dawn"
CYRILLIC_E = "\u0435"


def join(admin: User, username: str) -> User:
    _invite, code = services.invite_create(actor=admin, role=User.Role.SURVIVOR)
    return services.account_join(code=code, username=username, display_name="Nia", passphrase=PASSPHRASE)


@pytest.mark.parametrize("look_alike", [f"d{CYRILLIC_E}mo_survivor", "DEMO_SURVIVOR", "\uff44\uff45\uff4d\uff4f_survivor",
                                        "demo_surv\u0456vor", "derno_survivor"])
def test_look_alikes_of_a_username_share_its_key(look_alike):
    assert username_key(look_alike) == username_key("demo_survivor")


def test_different_usernames_keep_different_keys():
    assert username_key("maya") != username_key("maia")
    assert username_key("José") != username_key("jose")


def test_names_in_one_alphabet_pass_and_mixed_ones_do_not():
    assert is_one_script("maya_2026") and is_one_script("мария") and is_one_script("山田たろう")
    assert not is_one_script(f"d{CYRILLIC_E}mo_survivor") and not is_one_script("Ωmega")


def test_a_look_alike_of_someone_elses_username_is_refused_at_join(agency_admin, survivor):
    for look_alike in ("MAYA", "\uff4d\uff41\uff59\uff41", "rnaya"):
        with pytest.raises(Invalid) as taken:
            join(agency_admin, look_alike)
        assert taken.value.field == "username" and "taken" in taken.value.message
    assert User.objects.filter(role=User.Role.SURVIVOR).count() == 1


def test_a_whole_cyrillic_copy_of_a_latin_username_is_refused(agency_admin):
    join(agency_admin, "aepo")
    with pytest.raises(Invalid) as taken:
        join(agency_admin, "\u0430\u0435\u0440\u043e")  # аеро, every letter Cyrillic
    assert taken.value.field == "username"


def test_mixed_alphabets_are_refused_kindly_in_her_language(agency_admin):
    with pytest.raises(Invalid) as mixed:
        join(agency_admin, f"d{CYRILLIC_E}mo_person")
    assert mixed.value.field == "username" and "one alphabet" in mixed.value.message
    with translation.override("es"), pytest.raises(Invalid) as mixed_es:
        join(agency_admin, f"d{CYRILLIC_E}mo_person")
    assert "un solo alfabeto" in mixed_es.value.message
    assert not User.objects.filter(username__startswith="d").exists()


def test_a_username_in_another_alphabet_is_welcome(agency_admin):
    assert join(agency_admin, "мария").username_key == username_key("мария")


def test_the_api_refuses_a_look_alike_too(agency_admin, survivor):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    body = {"code": code, "username": f"m{chr(0x0430)}ya", "display_name": "Nia", "passphrase": PASSPHRASE}
    answer = client.post("/api/v1/auth/join", json.dumps(body), content_type="application/json",
                         HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 422 and answer.json()["field"] == "username"
    body["username"] = "Maya"
    answer = client.post("/api/v1/auth/join", json.dumps(body), content_type="application/json",
                         HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 422 and answer.json()["field"] == "username"


def test_the_join_page_refuses_a_look_alike(client, agency_admin, survivor):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    client.post("/", {"screen": "join", "code": code})
    page = client.post("/", {"screen": "join", "username": f"m{chr(0x0430)}ya", "display_name": "Nia", "passphrase": PASSPHRASE,
                                 "passphrase_again": PASSPHRASE})
    assert page.status_code == 200 and "one alphabet" in page.content.decode()


def test_create_user_checks_look_alikes(survivor):
    with pytest.raises(Exception) as taken:
        User.objects.create_user("MAYA", "x" * 12, display_name="Copy")
    assert "taken" in str(taken.value)


def test_the_admin_cannot_rename_or_add_people():
    from django.contrib import admin

    person_admin = admin.site._registry[User]
    assert "username" in person_admin.readonly_fields and not person_admin.has_add_permission(None)


def test_demo_data_keeps_working(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo = User.objects.get(username="demo_survivor")
    assert demo.username_key == username_key("demo_survivor")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # again: idempotent
    assert User.objects.get(username="demo_survivor").username_key == demo.username_key


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_keys_and_keeps_existing_look_alikes_working():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0004_login_sessions")])
    old_apps = executor.loader.project_state([("accounts", "0004_login_sessions")]).apps
    OldUser = old_apps.get_model("accounts", "User")
    first = OldUser.objects.create(username="sam", display_name="Sam")
    second = OldUser.objects.create(username="sarn", display_name="Sarn")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get(pk=first.pk).username_key == username_key("sam")
    assert User.objects.get(pk=second.pk).username_key == f"{username_key('sarn')}#{second.pk}"
