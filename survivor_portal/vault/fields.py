"""Model fields whose words the database only ever holds sealed (cipher.py).

Each encrypted model has a RowKeyField: a random key set in Python when the row is made (the
primary key is not known before the insert). A value is sealed in `pre_save`, bound to
"app_label.model.field" and that row key, and opened the first time it is read (a descriptor,
because `from_db_value` does not know its row). What the database returns stays sealed until
then, so a page that never shows a field never pays to open it.

Nothing filters, orders or searches on these fields in SQL: the database only sees ciphertext.
`get_prep_value` refuses any plain word on its way to SQL (a filter, `update()`,
`bulk_update()`), so such a query fails loudly in tests instead of quietly matching nothing;
the empty string stays empty (it says nothing) and so can still be written and compared.

A value that does not open (a key removed too early, a value copied from another row) reads as
a short marker in her language and logs one line naming the table, field and row, never the
words; saving the row again keeps the sealed value as it was.

Another layer may store its own ciphertext (text) in these fields after the model's
`full_clean()`: the column is unbounded text, so nothing is checked against `max_length` here.
"""

import logging
import secrets

from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext

from survivor_portal.vault import cipher

logger = logging.getLogger("survivor_portal.vault")


class Sealed(str):
    """A value as the database holds it: sealed, not yet opened."""


class Unreadable(str):
    """What a value that does not open reads as: a marker, keeping the sealed value to write back."""

    sealed: str

    def __new__(cls, sealed: str) -> "Unreadable":
        marker = super().__new__(cls, gettext("(This could not be opened.)"))
        marker.sealed = str(sealed)
        return marker

    def __reduce__(self):
        return (Unreadable, (self.sealed,))


def new_row_key() -> str:
    return secrets.token_urlsafe(12)


class RowKeyField(models.CharField):
    """The row's own random key, part of every sealed value's associated data. Never changes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("default", new_row_key)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs


def row_key_field(model) -> RowKeyField | None:
    found = model._meta.__dict__.get("_vault_row_key", False)  # looked up once per model class
    if found is False:
        found = next((f for f in model._meta.concrete_fields if isinstance(f, RowKeyField)), None)
        model._meta._vault_row_key = found
    return found


class OpeningAttribute(DeferredAttribute):
    """Opens a sealed value on first read, with its row's key, and keeps the plain text."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if type(value) is Sealed:
            value = self.field.open_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedMixin:
    descriptor_class = OpeningAttribute

    @property
    def label(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}.{self.name}"

    def get_internal_type(self) -> str:
        return "TextField"  # sealed text is longer than the words; max_length checks the words

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if getattr(self, "model", None) is not None and row_key_field(self.model) is None:
            errors.append(checks.Error(f"{self.label} is encrypted but {self.model.__name__} has no RowKeyField.",
                                       obj=self, id="vault.E001"))
        if self.unique or self.db_index:
            errors.append(checks.Error(f"{self.label}: an encrypted field cannot be unique or indexed.",
                                       obj=self, id="vault.E002"))
        return errors

    def row_key_of(self, instance) -> str:
        row_key = getattr(instance, row_key_field(type(instance)).attname)
        if not row_key:
            raise ValueError(f"{self.label}: the row has no row key")
        return row_key

    def open_for(self, instance, sealed: str) -> str:
        try:
            return cipher.open_sealed(sealed, label=self.label, row_key=self.row_key_of(instance))
        except (cipher.CannotOpen, ValueError) as why:
            logger.warning("vault: %s of row %s did not open (%s)", self.label, instance.pk, why)
            return Unreadable(sealed)

    def from_db_value(self, value, expression, connection):
        return Sealed(value) if value else value

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname, None)
        if value is None or value == "":
            return value
        if type(value) is Unreadable:
            return Sealed(value.sealed)
        if type(value) is Sealed:
            if cipher.key_id_of(value) == cipher.newest_key_id():
                return value  # never opened, already on the newest key: nothing to redo
            value = self.open_for(model_instance, value)
            if type(value) is Unreadable:
                return Sealed(value.sealed)
        return Sealed(cipher.seal(str(value), label=self.label, row_key=self.row_key_of(model_instance)))

    def get_lookup(self, lookup_name):
        # Only what a sealed value can answer: is it there, is it empty, is it this very value.
        if lookup_name not in ("exact", "isnull", "in"):
            raise TypeError(f"{self.label} is encrypted: SQL cannot search its words ({lookup_name}).")
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Sealed):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.label} is encrypted: write it by saving the model, and never filter, order or "
            "update() on its words in SQL (do it in Python over the rows, or keep a lookup hash)."
        )


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A short text (a title, a name, a reason), sealed. `max_length` counts her words."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A longer text (a note, a post), sealed."""
