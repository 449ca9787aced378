from django.db.models import QuerySet
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import Invite, User
from survivor_portal.errors import Invalid, NotAllowed


def invites_for(*, viewer: User) -> QuerySet[Invite]:
    """The invites of the viewer's agency, newest first; only its admins may list them."""
    if viewer.role != User.Role.AGENCY_ADMIN or viewer.agency_id is None:
        raise NotAllowed(_("Only an agency admin can see invite codes."))
    return Invite.objects.filter(agency_id=viewer.agency_id).select_related("used_by")[:50]


def may_read_api_docs(user: User) -> bool:
    """The API's description names every part of the app, so only staff who finished their
    two-step login may read it (ASVS 13.4.5); everyone else is told nothing is there."""
    return bool(user.is_authenticated and user.is_agency_staff and user.is_verified())


def agency_survivor(*, admin: User, username: str) -> User | None:
    """A survivor of the admin's own agency, by the username she logs in with; None when
    there is no such person (an admin of another agency finds nobody)."""
    username = (username or "").strip()
    if not username.isprintable() or len(username) > 40 or admin.agency_id is None:
        return None
    return User.objects.filter(username__iexact=username, agency_id=admin.agency_id, role=User.Role.SURVIVOR,
                               is_active=True).first()


def agency_survivor_named(*, admin: User, username: str) -> User:
    """The same, for an admin giving or ending a role: nobody found is told beside the field."""
    person = agency_survivor(admin=admin, username=username)
    if person is None:
        raise Invalid(_("We could not find anyone with that username at your agency."), field="username")
    return person
