"""Data migrations that seal existing words (and open them again when a migration is reversed).

Each app's migration that turns its text fields into encrypted ones is followed by one calling
`seal_existing({"app.Model": ["field", ...]})`. Adding the row-key column gave every existing
row the same key; each row gets its own here, in batches by primary key, as its words are sealed
(a migration runs in one transaction, so it never stops halfway).
"""

from collections.abc import Callable

from survivor_portal.vault import cipher
from survivor_portal.vault.fields import Sealed, new_row_key, row_key_field

BATCH = 500


def _batches(model, names: list[str]):
    row_key = row_key_field(model).attname
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", row_key, *names)[:BATCH])
        if not rows:
            return
        yield row_key, rows
        last = rows[-1][0]


def _label(model, name: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{name}"


def _seal_model(model, names: list[str]) -> None:
    for row_key, rows in _batches(model, names):
        for pk, _shared, *values in rows:
            key = new_row_key()
            sealed = {name: Sealed(cipher.seal(str(value), label=_label(model, name), row_key=key))
                      for name, value in zip(names, values) if value}
            model.objects.filter(pk=pk).update(**{row_key: key}, **sealed)


def _open_model(model, names: list[str]) -> None:
    for row_key, rows in _batches(model, names):
        for pk, key, *values in rows:
            # Sealed() only lets the plain words through the field's guard: the column goes back
            # to holding plain text in the reversed schema step right after this.
            plain = {name: Sealed(cipher.open_sealed(str(value), label=_label(model, name), row_key=key))
                     for name, value in zip(names, values) if value}
            model.objects.filter(pk=pk).update(**plain)


def seal_existing(fields: dict[str, list[str]]) -> tuple[Callable, Callable]:
    """RunPython's forward and backward functions for these models' fields."""

    def forward(apps, schema_editor) -> None:
        for label, names in fields.items():
            _seal_model(apps.get_model(label), names)

    def backward(apps, schema_editor) -> None:
        for label, names in fields.items():
            _open_model(apps.get_model(label), names)

    return forward, backward
