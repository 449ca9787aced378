"""Keeping positions a permutation (0..n-1, no gaps, no duplicates)."""

import hashlib
from collections.abc import Sequence

from django.db import models


def order_version(ids: Sequence[int]) -> str:
    """A short fingerprint of an order, so a reorder based on an old list can be recognised."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def write_positions(rows: Sequence[models.Model]) -> None:
    """Saves rows at positions 0..n-1 in the given order. Two passes through distinct negative
    numbers, so the unique (owner, position) constraint holds after every statement."""
    if not rows:
        return
    model = type(rows[0])
    for index, row in enumerate(rows):
        row.position = -(index + 1)
    model.objects.bulk_update(rows, ["position"])
    for index, row in enumerate(rows):
        row.position = index
    model.objects.bulk_update(rows, ["position"])


def moved(ids: Sequence[int], index: int, to: int) -> list[int]:
    """The order after moving the item at `index` to `to` (clamped)."""
    result = list(ids)
    item = result.pop(index)
    result.insert(max(0, min(to, len(result))), item)
    return result
