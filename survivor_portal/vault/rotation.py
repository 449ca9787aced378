"""Moving every sealed word onto the newest of DATA_KEYS (manage.py rotate_data_keys).

Put a new key first in DATA_KEYS (every listed key still opens), run the rotation, and remove
the old keys once it reports nothing left. Each batch commits on its own, so it can be stopped
at any moment and run again: a row already on the newest key is left as it is. A row someone
edited meanwhile is left to her edit (the update only writes where the old sealed value is
still there), and sealed on the newest key by that edit anyway.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from survivor_portal.vault import cipher, table
from survivor_portal.vault.fields import Sealed, row_key_field


@dataclass
class Outcome:
    rows_seen: int = 0
    rows_changed: dict[str, int] = field(default_factory=dict)
    values_changed: int = 0
    unreadable: dict[str, int] = field(default_factory=dict)  # values no listed key opens

    @property
    def total_changed(self) -> int:
        return sum(self.rows_changed.values())


def rows_to_rotate() -> int:
    return sum(model._base_manager.count() for model in table.encrypted_fields())


def rotate(*, batch_size: int = 200, on_batch: Callable[[int], None] = lambda rows: None) -> Outcome:
    outcome = Outcome()
    newest = cipher.newest_key_id()
    for model, names in table.encrypted_fields().items():
        label = model._meta.label
        labels = {name: model._meta.get_field(name).label for name in names}
        row_key = row_key_field(model).attname
        last = 0
        while True:
            rows = list(model._base_manager.filter(pk__gt=last).order_by("pk")
                        .values_list("pk", row_key, *names)[:batch_size])
            if not rows:
                break
            with transaction.atomic():
                for pk, key, *values in rows:
                    stale = {name: value for name, value in zip(names, values)
                             if value and cipher.key_id_of(value) != newest}
                    fresh = {}
                    for name, value in stale.items():
                        try:
                            plain = cipher.open_sealed(value, label=labels[name], row_key=key)
                        except cipher.CannotOpen:
                            outcome.unreadable[labels[name]] = outcome.unreadable.get(labels[name], 0) + 1
                            continue
                        fresh[name] = Sealed(cipher.seal(plain, label=labels[name], row_key=key))
                    if fresh and model._base_manager.filter(pk=pk, **{n: Sealed(stale[n]) for n in fresh}).update(**fresh):
                        outcome.rows_changed[label] = outcome.rows_changed.get(label, 0) + 1
                        outcome.values_changed += len(fresh)
            outcome.rows_seen += len(rows)
            last = rows[-1][0]
            on_batch(len(rows))
    return outcome
