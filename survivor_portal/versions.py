"""Versions: everything people edit carries a number that goes up by one with each change.

A save says which version it started from (a hidden field in forms, `If-Match` in the API).
If the row has moved on since, nothing is written: the service raises `Stale` and the page
shows her text beside the newer one so she chooses. That is the only way a phone's restored
old tab cannot undo a newer change — above all a privacy or sharing choice.

Services call `version_check` under the row lock their write already takes, then
`version_bump` and save "version" in the same UPDATE. Views and the API only pass the
number along; the two HTTP helpers at the bottom turn it into and out of an ETag."""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from survivor_portal.errors import DomainError

# What a save may say it started from: one version, any of several (If-Match with a list),
# or None (no claim: the API without If-Match, kept for older clients). Her sharing with an
# agency has no row of its own to count on, so its version is a short text (consent.services.sharing_version).
Expected = int | str | frozenset[int | str] | None


class Stale(DomainError):
    """The save started from an older version than the one stored. 412 Precondition Failed
    in the API (RFC 9110 §13.1.1); a side-by-side choice in the pages."""

    status = 412
    code = "stale"


def version_check(row, expected: Expected, message: str = "") -> None:
    """Refuses the save when it did not start from the current version (of `row`, or `row`
    itself when it is a version). Call it after the row (or its owner) is locked, so nobody
    can change it between check and write."""
    if expected is None:
        return
    current = getattr(row, "version", row)
    matches = current in expected if isinstance(expected, frozenset) else current == expected
    if not matches:
        raise Stale(
            message or _("This changed in another window since you opened it. Nothing was saved yet."),
            extra={"version": current},
        )


def version_bump(row) -> str:
    """The next version, written in the same UPDATE as the change: returns the field name to
    add to `update_fields`."""
    row.version += 1
    return "version"


# ---- HTTP: ETag and If-Match ------------------------------------------------------------------

_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def etag(row) -> str:
    """The ETag of a row with a version column, or of a version itself (her sharing with an
    agency, her own settings: short texts such as `"41e.0"`)."""
    return f'"{getattr(row, "version", row)}"'


def expected_from_if_match(header: str | None) -> Expected:
    """`If-Match` as the services understand it. Absent or `*` makes no claim. Strong
    comparison: a weak tag or one we never issued can never match, so the save is refused."""
    if header is None or header.strip() == "":
        return None
    if header.strip() == "*":
        return None
    versions: set[int | str] = set()
    for part in _split_tags(header):
        match = _TAG.fullmatch(part)
        if match and not match.group(1) and re.fullmatch(r"[0-9]{1,9}", match.group(2)):
            versions.add(int(match.group(2)))
        elif match and not match.group(1) and re.fullmatch(r"[0-9A-Za-z.]{1,40}", match.group(2)):
            versions.add(match.group(2))  # a version that is a text: her sharing, her settings
    return frozenset(versions) if versions else frozenset({-1})


def _split_tags(header: str) -> Iterable[str]:
    return [part for part in header.split(",") if part.strip()]


def if_match_header():
    """The `If-Match` parameter of an API edit, documented once for the OpenAPI document."""
    from ninja import Header

    return Header(
        None, alias="If-Match",
        description=(
            "The ETag from your last read of this item. If it has changed since, nothing is saved and "
            "the answer is 412 with the current ETag. Without If-Match the change is applied as before "
            "(kept for older clients); send it to be safe from overwriting a newer edit."
        ),
    )
