"""A goal she marks "only me": its title, note and steps are sealed with her own key
(accounts.only_me) just before they are saved, after the usual checks on what she typed, and
opened for her alone when read. Nobody else's read ever opens them: staff's reads never get
these goals at all (consent.selectors), and have no key to open them with.

A goal a request cannot open is "closed" (her key is not with this session: she types her
passphrase) or "lost" (sealed with a key an agency's reset dropped: it can only be deleted)."""

from django.utils.translation import gettext as _

from survivor_portal.accounts import only_me
from survivor_portal.accounts.only_me import HerKey
from survivor_portal.errors import Invalid, NotAllowed
from survivor_portal.goals.models import Goal, Step

FIELDS = {Goal: ("title", "note"), Step: ("text",)}
OPEN, CLOSED, LOST = "", "closed", "lost"


class Closed(NotAllowed):
    """Her key is not with this request: she is asked for her passphrase, never shown an error page."""

    code = "only_me_closed"


def closed_error() -> Closed:
    return Closed(_("Type your passphrase to open your “only me” goals."))


def lost_error() -> Invalid:
    return Invalid(_("This goal was kept with your old passphrase and cannot be opened. You can delete it."),
                   code="only_me_lost")


def _field(row, name: str) -> str:
    return f"goals.{type(row).__name__.lower()}.{name}"


def _open(row, key: HerKey | None, owner_id: int) -> bool:
    opened = {}
    for name in FIELDS[type(row)]:
        value = getattr(row, name)
        if only_me.is_sealed(value):
            plain = only_me.unseal(key, user_id=owner_id, field=_field(row, name), value=value)
            if plain is None:
                return False
            opened[name] = plain
    for name, plain in opened.items():
        setattr(row, name, plain)
    return True


def state_of(goal: Goal, key: HerKey | None, current_key_id=None) -> str:
    """Whether this request can open the goal, without opening it. `current_key_id` is a callable
    giving the id of her present key (asked only when this request carries none)."""
    if not only_me.is_sealed(goal.title):
        return OPEN
    sealed_with = only_me.key_id_of(goal.title)
    if key is not None:
        return OPEN if key.key_id == sealed_with else LOST
    current = current_key_id() if current_key_id else only_me.current_key_id(goal.owner_id)
    return CLOSED if current == sealed_with else LOST


def must_open(row, key: HerKey | None, goal: Goal) -> None:
    """Opens a sealed goal or step in place before it is changed, or says why it cannot be."""
    if _open(row, key, goal.owner_id):
        return
    raise closed_error() if key is None and state_of(goal, None) == CLOSED else lost_error()


def save(row, key: HerKey | None, goal: Goal, **save_args) -> None:
    """Saves the row, sealed if its goal is "only me"; the row in memory keeps her words."""
    if not goal.only_me:
        row.save(**save_args)
        return
    if key is None:
        raise closed_error()
    plain = {name: getattr(row, name) for name in FIELDS[type(row)]}
    for name, value in plain.items():
        setattr(row, name, only_me.seal(key, user_id=goal.owner_id, field=_field(row, name), text=value or ""))
    try:
        row.save(**save_args)
    finally:
        for name, value in plain.items():
            setattr(row, name, value)


def show(goals: list[Goal], key: HerKey | None, *, steps: bool = False) -> list[Goal]:
    """Opens what this request can, in memory; the rest shows a neutral line instead of the
    sealed text (goal.sealed says why: CLOSED or LOST)."""
    cache = {}

    def current() -> int | None:  # asked once, and only when a goal needs it
        if "id" not in cache:
            cache["id"] = only_me.current_key_id(goals[0].owner_id)
        return cache["id"]

    for goal in goals:
        goal.sealed = OPEN
        if not only_me.is_sealed(goal.title):
            continue
        goal.sealed = state_of(goal, key, current)
        if goal.sealed == OPEN and _open(goal, key, goal.owner_id):
            for step in (goal.steps.all() if steps else []):
                if not _open(step, key, goal.owner_id):
                    step.text = ""
            continue
        goal.sealed = goal.sealed or LOST
        goal.title = (_("A goal only you can open") if goal.sealed == CLOSED
                      else _("A goal kept with your old passphrase"))
        goal.note = ""
        for step in (goal.steps.all() if steps else []):
            step.text = ""
    return goals



def text_of(row, key: HerKey | None, owner_id: int) -> str:
    """A step's text or a goal's title to announce: her words, or a neutral line."""
    name = FIELDS[type(row)][0]
    value = getattr(row, name)
    if not only_me.is_sealed(value):
        return value
    return only_me.unseal(key, user_id=owner_id, field=_field(row, name), value=value) or _("Only you can open this")
