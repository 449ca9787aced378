"""The admin's history (django_admin_log) is plain text: it names what an operator changed by
kind and number, never by a person's name."""

import importlib

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from survivor_portal.accounts.models import Agency, User


def _request(operator):
    request = RequestFactory().post("/admin/")
    request.user = operator
    return request


def test_the_admin_history_never_holds_her_name(survivor, advocate):
    survivor.display_name = "Rosa Delgado"
    survivor.save(update_fields=["display_name"])
    people = admin.site._registry[User]
    people.log_change(_request(advocate), survivor, [{"changed": {"fields": ["Role"]}}])
    people.log_deletions(_request(advocate), User.objects.filter(pk=survivor.pk))
    agencies = admin.site._registry[Agency]
    agencies.log_addition(_request(advocate), advocate.agency, [{"added": {}}])
    written = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert written == [f"agency {advocate.agency_id}", f"user {survivor.pk}", f"user {survivor.pk}"]
    assert not LogEntry.objects.filter(change_message__contains="Rosa").exists()


def test_history_written_before_names_what_changed_by_kind_and_number(survivor, advocate):
    old = LogEntry.objects.create(user=advocate, content_type=ContentType.objects.get_for_model(User),
                                  object_id=str(survivor.pk), object_repr="Rosa Delgado", action_flag=2)
    migration = importlib.import_module("survivor_portal.accounts.migrations.0011_neutral_admin_history")
    migration.neutral_history(apps, None)
    old.refresh_from_db()
    assert old.object_repr == f"user {survivor.pk}"
