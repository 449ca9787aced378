"""Every rule of the peer groups: who may join, post, report and moderate, and what each
action does. Inside a group people act through their membership, known by an alias."""

import random
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.groups import checks, polling
from peer_support.groups.models import (
    AUTO_HIDE_REPORTS,
    CHECK_IN_LONGEST,
    CHECK_IN_OPEN_DAYS,
    alias_key,
    AgendaItem,
    Block,
    CheckIn,
    CheckInMessage,
    Meeting,
    Membership,
    ModerationAction,
    PeerGroup,
    Post,
    Report,
    Support,
    Worry,
)
from survivor_portal.accounts.models import Agency, User
from survivor_portal.accounts.selectors import agency_survivor, agency_survivor_named
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound, text_or_invalid
from survivor_portal import times
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit

MUTES = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "7d": timedelta(days=7)}
ALIAS_WORDS = (
    ("Quiet", "Bright", "Gentle", "Brave", "Calm", "Kind", "Steady", "Warm", "Clear", "Golden", "Silver", "Green"),
    ("River", "Willow", "Harbor", "Meadow", "Sparrow", "Cedar", "Lantern", "Pebble", "Heron", "Maple", "Comet", "Fern"),
)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.AGENCY_ADMIN and user.agency_id is not None


def _text(value: str, field: str, longest: int, required: bool = True) -> str:
    return text_or_invalid(value, field, longest, required=required, empty=_("Please write something here."))


def _group(actor: User, group_id: int) -> PeerGroup:
    """A group of the actor's own agency (its name and agreement; not its posts)."""
    group = None
    if actor.is_authenticated and actor.agency_id is not None and 0 < group_id < 2**63:
        group = PeerGroup.objects.filter(pk=group_id, agency_id=actor.agency_id).select_related("agency").first()
    if group is None or not (actor.is_survivor or is_admin(actor)):
        raise NotFound(_("We could not find that group."))
    return group


def membership(actor: User, group_id: int, *, lock: bool = False) -> Membership:
    """Her active membership: the key to everything inside a group. Anyone else: not found."""
    found = None
    if actor.is_authenticated and actor.is_survivor and 0 < group_id < 2**63:
        query = Membership.objects.select_for_update(of=("self",)) if lock else Membership.objects
        found = query.filter(group_id=group_id, user=actor, state=Membership.State.ACTIVE).select_related("group__agency").first()
    if found is None:
        raise NotFound(_("We could not find that group."))
    return found


def mentor(actor: User, group_id: int) -> Membership:
    found = membership(actor, group_id)
    if not found.is_mentor:
        raise NotFound(_("We could not find that."))
    return found


def _log(group: PeerGroup, actor_label: str, kind: str, *, post: Post | None = None, target: str = "", reason: str = "") -> None:
    ModerationAction.objects.create(group=group, actor_label=actor_label, kind=kind, post=post, target_label=target, reason=reason)


# ---- Groups, mentors, joining ------------------------------------------------------------------


@write_limit("group")
@transaction.atomic
def group_create(*, actor: User, name: str, purpose: str, agreement: str, language: str = "en",
                 open_to_join: bool = True) -> PeerGroup:
    if not is_admin(actor):
        raise NotFound(_("We could not find that."))
    if language not in ("en", "es"):
        raise Invalid(_("Choose English or Spanish."), field="language")
    return PeerGroup.objects.create(agency_id=actor.agency_id, name=_text(name, "name", 80), purpose=_text(purpose, "purpose", 300),
                                    agreement=_text(agreement, "agreement", 4000), language=language, open_to_join=bool(open_to_join))


def _mentor_aliases(agency_id: int, *, besides: int | None = None) -> set[str]:
    """A mentor's alias is hers in every group of the agency, also after she stops mentoring
    (the log still names her): nobody can seem to be her in another group."""
    memberships = Membership.objects.filter(group__agency_id=agency_id)
    appointed = ModerationAction.objects.filter(group__agency_id=agency_id, kind=ModerationAction.Kind.APPOINT)
    keys = set(memberships.filter(role=Membership.Role.MENTOR).values_list("alias_key", flat=True))
    keys |= {alias_key(label) for label in appointed.values_list("target_label", flat=True)}
    return keys - set(memberships.filter(user_id=besides).values_list("alias_key", flat=True)) if besides else keys


def _agency_aliases(agency_id: int, *, besides: int | None = None) -> set[str]:
    return set(Membership.objects.filter(group__agency_id=agency_id).exclude(user_id=besides)
               .values_list("alias_key", flat=True))


def suggest_alias(group_id: int, *, for_mentor: int | None = None) -> str:
    """Two neutral words nobody in the group uses, nor any mentor of the agency. For a
    mentor (her user id): nobody in any group of the agency."""
    agency_id = PeerGroup.objects.filter(pk=group_id).values_list("agency_id", flat=True).first()
    if for_mentor is not None:
        taken = _agency_aliases(agency_id, besides=for_mentor)
    else:
        taken = set(Membership.objects.filter(group_id=group_id).values_list("alias_key", flat=True)) | _mentor_aliases(agency_id)
    for _attempt in range(50):
        alias = f"{random.choice(ALIAS_WORDS[0])} {random.choice(ALIAS_WORDS[1])}"
        if alias_key(alias) not in taken:
            return alias
    while True:
        alias = f"{random.choice(ALIAS_WORDS[0])} {random.choice(ALIAS_WORDS[1])} {random.randint(2, 9999)}"
        if alias_key(alias) not in taken:
            return alias


def _save_membership(found: Membership) -> Membership:
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError:
            raise Invalid(_("Someone in this group already uses that name, or used it before. Choose another."),
                      field="alias") from None
    return found


def _agency_person(actor: User, username: str) -> User:
    if not is_admin(actor):
        raise NotFound(_("We could not find that."))
    return agency_survivor_named(admin=actor, username=username)


@transaction.atomic
def peer_mentor_make(*, actor: User, username: str) -> User:
    """An agency admin gives a survivor of her agency the peer-mentor role (then appoints her to groups)."""
    person = _agency_person(actor, username)
    if person.is_peer_mentor:
        raise Conflict(_("%(name)s is already a peer mentor.") % {"name": person.display_name}, code="already")
    person.is_peer_mentor = True
    person.save(update_fields=["is_peer_mentor"])
    return person


@transaction.atomic
def peer_mentor_stop(*, actor: User, user_id: int) -> User:
    """She is no longer a peer mentor, so she stops mentoring every group (she stays a member)."""
    person = User.objects.filter(pk=user_id, agency_id=actor.agency_id, is_peer_mentor=True).first() \
        if is_admin(actor) and 0 < user_id < 2**63 else None
    if person is None:
        raise NotFound(_("We could not find that person."))
    person.is_peer_mentor = False
    person.save(update_fields=["is_peer_mentor"])
    for found in Membership.objects.select_for_update().filter(user=person, role=Membership.Role.MENTOR).select_related("group"):
        _step_down(found)
    return person


def _step_down(found: Membership) -> None:
    was_active = found.is_mentor
    found.role = Membership.Role.MEMBER
    found.save(update_fields=["role"])
    if was_active:
        _log(found.group, _("Agency admin"), ModerationAction.Kind.STEP_DOWN, target=found.alias)


@transaction.atomic
def mentor_appoint(*, actor: User, group_id: int, username: str) -> Membership:
    """An agency admin appoints a survivor with the peer-mentor role as a mentor of a group."""
    if not is_admin(actor):
        raise NotFound(_("We could not find that."))
    group = _group(actor, group_id)
    person = agency_survivor(admin=actor, username=username)
    if person is None or not person.is_peer_mentor:
        raise Invalid(_("We could not find a peer mentor with that username at your agency."), field="username")
    found = Membership.objects.select_for_update().filter(group=group, user=person).first() or Membership(group=group, user=person)
    if found.is_mentor:
        raise Conflict(_("%(name)s already mentors this group, as “%(alias)s”.") % {"name": person.display_name,
                                                                                  "alias": found.alias}, code="already")
    if found.state != Membership.State.ACTIVE or not found.alias \
            or found.alias_key in _agency_aliases(actor.agency_id, besides=person.pk):
        found.alias = suggest_alias(group.pk, for_mentor=person.pk)
    found.role, found.state, found.agreed_at, found.left_at = Membership.Role.MENTOR, Membership.State.ACTIVE, timezone.now(), None
    _save_membership(found)
    _log(group, _("Agency admin"), ModerationAction.Kind.APPOINT, target=found.alias)
    return found


@transaction.atomic
def mentor_step_down(*, actor: User, group_id: int, membership_id: int) -> Membership:
    """An agency admin ends someone's mentoring of one group; she stays in it as a member."""
    if not is_admin(actor):
        raise NotFound(_("We could not find that."))
    group = _group(actor, group_id)
    found = Membership.objects.select_for_update().filter(pk=membership_id, group=group, role=Membership.Role.MENTOR,
                                                          state=Membership.State.ACTIVE).select_related("group").first() \
        if 0 < membership_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that peer mentor."))
    _step_down(found)
    return found


@transaction.atomic
def join(*, actor: User, group_id: int, alias: str, agreed: bool) -> Membership:
    """Joining means accepting the group agreement, with an alias of her choosing. Groups open
    to all take her at once; the others ask a mentor."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that group."))
    group = _group(actor, group_id)
    if not agreed:
        raise Invalid(_("To join, please read the group agreement and say you accept it."), field="agreed")
    alias = _text(alias, "alias", 40)
    if alias_key(alias) in _mentor_aliases(group.agency_id, besides=actor.pk):
        raise Invalid(_("A peer mentor at your agency uses that name. Choose another."), field="alias")
    found = Membership.objects.select_for_update().filter(group=group, user=actor).first()
    if found is not None and found.state == Membership.State.REMOVED:
        raise NotAllowed(_("A peer mentor removed you from this group, so you cannot join it again."))
    if found is not None and found.state in (Membership.State.ACTIVE, Membership.State.REQUESTED):
        raise Conflict(_("You are already in this group."), code="already_member")
    found = found or Membership(group=group, user=actor)
    found.alias, found.role, found.agreed_at, found.left_at = alias, Membership.Role.MEMBER, timezone.now(), None
    found.state = Membership.State.ACTIVE if group.open_to_join else Membership.State.REQUESTED
    found.joined_at = timezone.now()
    return _save_membership(found)


@transaction.atomic
def leave(*, actor: User, group_id: int) -> Membership:
    """Any time, silently: nobody is told."""
    found = Membership.objects.select_for_update().filter(
        group_id=group_id, user=actor, state__in=[Membership.State.ACTIVE, Membership.State.REQUESTED]).first() \
        if actor.is_authenticated and 0 < group_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that group."))
    found.state, found.left_at = Membership.State.LEFT, timezone.now()
    found.save(update_fields=["state", "left_at"])
    return found


# ---- Posts -------------------------------------------------------------------------------------


def _may_post(member: Membership) -> None:
    if member.muted():
        raise NotAllowed(_("A peer mentor has paused your posting until %(when)s. You can still read.")
                         % {"when": times.when(member.muted_until, member.group.agency)}, code="muted")


def _checked_body(body: str, content_warning: str, confirm_identifying: bool, agency: Agency) -> tuple[str, str]:
    body = _text(body, "body", 2000)
    content_warning = _text(content_warning, "content_warning", 100, required=False)
    if not confirm_identifying and checks.may_identify(body, region=checks.phone_region(agency)):
        raise Invalid(_("This may identify you or someone else. Post anyway?"), field="body", code="may_identify")
    return body, content_warning


@write_limit("post")
@transaction.atomic
def post_create(*, actor: User, group_id: int, body: str, content_warning: str = "", parent_id: int | None = None,
                confirm_identifying: bool = False) -> Post:
    member = membership(actor, group_id)
    _may_post(member)
    # Posts in one group take turns, so they commit in the order of their ids: polling asks
    # "anything after id N?" and must never miss a post that committed late.
    PeerGroup.objects.select_for_update(no_key=True).only("pk").get(pk=group_id)
    body, content_warning = _checked_body(body, content_warning, confirm_identifying, member.group.agency)
    parent = None
    if parent_id is not None:
        parent = Post.objects.filter(pk=parent_id, group_id=group_id, parent__isnull=True, deleted_at__isnull=True).first() \
            if 0 < parent_id < 2**63 else None
        if parent is None:
            raise NotFound(_("We could not find that post."), field="parent_id")
    polling.posted(group_id)
    return Post.objects.create(group_id=group_id, author=member, parent=parent, body=body, content_warning=content_warning,
                               needs_attention=checks.sounds_like_crisis(body))


def _own_post(actor: User, post_id: int) -> Post:
    found = Post.objects.select_for_update(of=("self",)).filter(
        pk=post_id, author__user=actor, author__state=Membership.State.ACTIVE, deleted_at__isnull=True,
    ).select_related("author__group__agency").first() if actor.is_authenticated and 0 < post_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that post."))
    return found


@write_limit("post_edit")
@transaction.atomic
def post_edit(*, actor: User, post_id: int, body: str, content_warning: str = "", confirm_identifying: bool = False,
              version: Expected = None) -> Post:
    post = _own_post(actor, post_id)
    version_check(post, version, _("You changed this post in another window. Nothing was saved yet."))
    if not post.editable():
        raise Conflict(_("Posts can be changed for 15 minutes. You can still delete it."), code="too_late")
    if post.reports.filter(dismissed_at__isnull=True).exists():
        raise Conflict(_("This post was reported, so it stays as it is until a peer mentor looks at it. You can still delete it."),
                       code="reported")
    _may_post(post.author)
    post.body, post.content_warning = _checked_body(body, content_warning, confirm_identifying,
                                                    post.author.group.agency)
    post.edited_at = timezone.now()
    post.needs_attention = post.needs_attention or checks.sounds_like_crisis(post.body)
    post.save(update_fields=["body", "content_warning", "edited_at", "needs_attention", version_bump(post)])
    return post


@transaction.atomic
def post_delete(*, actor: User, post_id: int) -> Post:
    post = _own_post(actor, post_id)
    post.deleted_at, post.body, post.content_warning = timezone.now(), "", ""
    post.save(update_fields=["deleted_at", "body", "content_warning"])
    return post


def _group_post(post_id: int, *, deleted_too: bool = False) -> Post | None:
    if not 0 < post_id < 2**63:
        return None
    found = Post.objects.select_for_update(of=("self",)).filter(pk=post_id).select_related("author").first()
    return found if found is not None and (deleted_too or found.deleted_at is None) else None


@write_limit("report")
@transaction.atomic
def report(*, actor: User, post_id: int, reason: str, note: str = "") -> Report:
    """One report per member per post. Three different members: hidden at once, for review."""
    post = _group_post(post_id)
    if post is None:
        raise NotFound(_("We could not find that post."))
    member = membership(actor, post.group_id)
    if post.author_id == member.pk:
        raise Invalid(_("You cannot report your own post. You can delete it."), field="post_id")
    if reason not in Report.Reason.values:
        raise Invalid(_("Choose why you are reporting it."), field="reason")
    try:
        with transaction.atomic():
            made = Report.objects.create(post=post, reporter=member, reason=reason, note=_text(note, "note", 300, required=False))
    except IntegrityError:
        raise Conflict(_("You have already reported this post. Thank you."), code="already_reported") from None
    open_reports = post.reports.filter(dismissed_at__isnull=True).values("reporter").distinct().count()
    if open_reports >= AUTO_HIDE_REPORTS and post.hidden_at is None:
        post.hidden_at, post.auto_hidden, post.hidden_reason = timezone.now(), True, ""
        post.save(update_fields=["hidden_at", "auto_hidden", "hidden_reason"])
        _log(post.group, _("Three members"), ModerationAction.Kind.AUTO_HIDE, post=post, target=post.alias)
    return made


# ---- Moderation --------------------------------------------------------------------------------


def active_mentors(group_id: int) -> set[int]:
    """The membership ids of a group's mentors today."""
    return set(Membership.objects.filter(group_id=group_id, role=Membership.Role.MENTOR, state=Membership.State.ACTIVE)
               .values_list("pk", flat=True))


def falls_to_admins(post: Post, mentors: set[int]) -> bool:
    """Nobody judges reports on her own post: a mentor's post goes to the group's other
    mentors, and to the agency's admins when there is no other (or no mentor at all)."""
    return not (mentors - {post.author_id})


def _moderated_post(actor: User, post_id: int, *, deleted_too: bool = False) -> tuple[Post, str]:
    """The post, and the name the moderation log gives whoever may act on it."""
    post = _group_post(post_id, deleted_too=deleted_too)
    if post is None:
        raise NotFound(_("We could not find that post."))
    if is_admin(actor):
        group = _group(actor, post.group_id)
        if not falls_to_admins(post, active_mentors(group.pk)):
            raise NotAllowed(_("The group's peer mentors look at this post."))
        return post, _("Agency admin")
    me = mentor(actor, post.group_id)
    if post.author_id == me.pk:
        raise NotAllowed(_("Another peer mentor looks at reports on your own posts."))
    return post, me.alias


@transaction.atomic
def hide(*, actor: User, post_id: int, reason: str) -> Post:
    """Hidden with a reason: the author is told the reason; others see a placeholder."""
    post, who = _moderated_post(actor, post_id)
    post.hidden_at, post.hidden_reason, post.auto_hidden = timezone.now(), _text(reason, "reason", 300), False
    post.save(update_fields=["hidden_at", "hidden_reason", "auto_hidden"])
    post.reports.filter(dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    _log(post.group, who, ModerationAction.Kind.HIDE, post=post, target=post.alias, reason=post.hidden_reason)
    return post


@transaction.atomic
def restore(*, actor: User, post_id: int) -> Post:
    post, who = _moderated_post(actor, post_id)
    post.hidden_at, post.hidden_reason, post.auto_hidden, post.needs_attention = None, "", False, False
    post.save(update_fields=["hidden_at", "hidden_reason", "auto_hidden", "needs_attention"])
    post.reports.filter(dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    _log(post.group, who, ModerationAction.Kind.RESTORE, post=post, target=post.alias)
    return post


@transaction.atomic
def dismiss(*, actor: User, post_id: int) -> Post:
    """The reports were looked at and the post stays as it is (or, deleted, was looked into)."""
    post, who = _moderated_post(actor, post_id, deleted_too=True)
    post.reports.filter(dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    post.needs_attention = False
    if post.auto_hidden:  # hidden only because of the reports just dismissed
        post.hidden_at, post.auto_hidden = None, False
    post.save(update_fields=["needs_attention", "hidden_at", "auto_hidden"])
    _log(post.group, who, ModerationAction.Kind.DISMISS, post=post, target=post.alias)
    return post


def _other_member(me: Membership, membership_id: int, states=(Membership.State.ACTIVE,)) -> Membership:
    found = Membership.objects.select_for_update(of=("self",)).filter(
        pk=membership_id, group_id=me.group_id, state__in=states).first() if 0 < membership_id < 2**63 else None
    if found is None or found.pk == me.pk:
        raise NotFound(_("We could not find that member."))
    return found


@transaction.atomic
def mute(*, actor: User, group_id: int, membership_id: int, duration: str, reason: str = "") -> Membership:
    me = mentor(actor, group_id)
    if duration not in MUTES:
        raise Invalid(_("Choose 1 hour, 1 day or 7 days."), field="duration")
    target = _other_member(me, membership_id)
    target.muted_until = timezone.now() + MUTES[duration]
    target.save(update_fields=["muted_until"])
    _log(me.group, me.alias, ModerationAction.Kind.MUTE, target=target.alias, reason=_text(reason, "reason", 300, required=False))
    return target


@transaction.atomic
def remove(*, actor: User, group_id: int, membership_id: int, reason: str = "") -> Membership:
    me = mentor(actor, group_id)
    target = _other_member(me, membership_id, states=(Membership.State.ACTIVE, Membership.State.REQUESTED))
    target.state, target.left_at = Membership.State.REMOVED, timezone.now()
    target.save(update_fields=["state", "left_at"])
    _log(me.group, me.alias, ModerationAction.Kind.REMOVE, target=target.alias, reason=_text(reason, "reason", 300, required=False))
    return target


@transaction.atomic
def admit(*, actor: User, group_id: int, membership_id: int) -> Membership:
    me = mentor(actor, group_id)
    target = _other_member(me, membership_id, states=(Membership.State.REQUESTED,))
    target.state, target.joined_at = Membership.State.ACTIVE, timezone.now()
    target.save(update_fields=["state", "joined_at"])
    _log(me.group, me.alias, ModerationAction.Kind.ADMIT, target=target.alias)
    return target


@transaction.atomic
def decline(*, actor: User, group_id: int, membership_id: int) -> Membership:
    """Not this time: she may ask again later (unlike removal)."""
    me = mentor(actor, group_id)
    target = _other_member(me, membership_id, states=(Membership.State.REQUESTED,))
    target.state, target.left_at = Membership.State.DECLINED, timezone.now()
    target.save(update_fields=["state", "left_at"])
    _log(me.group, me.alias, ModerationAction.Kind.DECLINE, target=target.alias)
    return target


@transaction.atomic
def agreement_update(*, actor: User, group_id: int, agreement: str) -> PeerGroup:
    me = mentor(actor, group_id)
    group = PeerGroup.objects.select_for_update().get(pk=group_id)
    group.agreement, group.agreement_updated_at = _text(agreement, "agreement", 4000), timezone.now()
    group.save(update_fields=["agreement", "agreement_updated_at"])
    _log(group, me.alias, ModerationAction.Kind.AGREEMENT)
    return group


# ---- Blocking and the agenda -------------------------------------------------------------------


@transaction.atomic
def block(*, actor: User, group_id: int, membership_id: int, blocked: bool = True) -> None:
    """Her own choice: that alias's posts fold away for her. Nobody is told."""
    me = membership(actor, group_id)
    other = Membership.objects.filter(pk=membership_id, group_id=group_id).first() if 0 < membership_id < 2**63 else None
    if other is None or other.pk == me.pk:
        raise NotFound(_("We could not find that member."))
    if blocked:
        Block.objects.get_or_create(blocker=me, blocked=other)
    else:
        Block.objects.filter(blocker=me, blocked=other).delete()


@write_limit("agenda")
@transaction.atomic
def agenda_add(*, actor: User, group_id: int, text: str) -> AgendaItem:
    member = membership(actor, group_id)
    _may_post(member)
    item = AgendaItem.objects.create(group_id=group_id, proposer=member, text=_text(text, "text", 300))
    Support.objects.create(item=item, member=member)
    return item


def _item(item_id: int) -> AgendaItem:
    found = AgendaItem.objects.filter(pk=item_id, discussed_at__isnull=True).first() if 0 < item_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that item."))
    return found


@transaction.atomic
def support(*, actor: User, item_id: int) -> AgendaItem:
    item = _item(item_id)
    member = membership(actor, item.group_id)
    Support.objects.get_or_create(item=item, member=member)
    return item


@transaction.atomic
def mark_discussed(*, actor: User, item_id: int) -> AgendaItem:
    item = _item(item_id)
    mentor(actor, item.group_id)
    item.discussed_at = timezone.now()
    item.save(update_fields=["discussed_at"])
    return item


@transaction.atomic
def meeting_set(*, actor: User, group_id: int, starts_at, place_label: str) -> Meeting:
    me = mentor(actor, group_id)
    times.sane(starts_at, "starts_at")
    starts_at = times.aware(starts_at, me.group.agency)
    if starts_at <= timezone.now():
        raise Invalid(_("Choose a time in the future."), field="starts_at")
    meeting = Meeting.objects.create(group_id=group_id, starts_at=starts_at, set_by_label=me.alias,
                                     place_label=_text(place_label, "place_label", 80))
    _log(me.group, me.alias, ModerationAction.Kind.MEETING, reason=meeting.place_label)
    return meeting


# ---- Worry and check-ins -----------------------------------------------------------------------


@write_limit("worry")
@transaction.atomic
def worry(*, actor: User, post_id: int) -> Worry:
    """"I'm worried about them": once per member and post. It reaches the group's mentors only
    (their moderation view); the author is never told and nothing is hidden."""
    post = _group_post(post_id)
    if post is None:
        raise NotFound(_("We could not find that post."))
    member = membership(actor, post.group_id)
    if post.author_id is None or post.author_id == member.pk:
        raise Invalid(_("You can tap this on someone else's post."), field="post_id")
    try:
        with transaction.atomic():
            return Worry.objects.create(post=post, member=member)
    except IntegrityError:
        raise Conflict(_("You already told the peer mentors. Thank you for caring."), code="already_worried") from None


def _mark_changed(*user_ids: int) -> None:
    """The neutral unread mark in their menu (kept in Redis by conversations) is asked again."""
    from survivor_portal.conversations import polling as menu

    menu.forget_after_commit(*(menu.unread_key(pk) for pk in user_ids))


def check_in_reason(post: Post) -> str | None:
    """Why a mentor may check in on this post's author: crisis words (flagged, or still in it), or
    a member's worry. None: no check-in."""
    if post.needs_attention or checks.sounds_like_crisis(post.body):
        return CheckIn.Reason.CRISIS
    if post.worries.exists():
        return CheckIn.Reason.WORRY
    return None


def _message_text(body: str) -> str:
    return _text(body, "body", CHECK_IN_LONGEST)


@write_limit("check_in")
@transaction.atomic
def check_in_start(*, actor: User, group_id: int, post_id: int, body: str) -> CheckIn:
    """One private check-in by a mentor of the group with the author of a post that had crisis
    words or a member's worry. One open check-in per member at a time; none if she refused them."""
    me = mentor(actor, group_id)
    post = _group_post(post_id, deleted_too=True)
    if post is None or post.group_id != me.group_id or post.author_id is None:
        raise NotFound(_("We could not find that post."), field="post_id")
    reason = check_in_reason(post)
    if reason is None:
        raise Invalid(_("A check-in follows words of crisis or a member's worry."), field="post_id")
    # Her membership row, locked: two mentors checking in at once take turns, so one opens it.
    target = Membership.objects.select_for_update().filter(pk=post.author_id, state=Membership.State.ACTIVE).first()
    if target is None or target.pk == me.pk:
        raise NotFound(_("We could not find that member."), field="post_id")
    if target.check_ins_refused:
        raise NotAllowed(_("%(alias)s chose not to receive check-ins. You can still answer in the group.")
                         % {"alias": target.alias}, code="refused")
    if CheckIn.objects.filter(member=target, closes_at__gt=timezone.now()).exists():
        raise Conflict(_("A peer mentor is already checking in with %(alias)s.") % {"alias": target.alias}, code="open")
    body, now = _message_text(body), timezone.now()
    check_in = CheckIn.objects.create(group_id=me.group_id, member=target, mentor=me, mentor_alias=me.alias, post=post,
                                      reason=reason, created_at=now, closes_at=now + timedelta(days=CHECK_IN_OPEN_DAYS),
                                      last_to_member_at=now, mentor_seen_at=now)
    CheckInMessage.objects.create(check_in=check_in, from_member=False, body=body, created_at=now)
    _mark_changed(target.user_id)
    return check_in


def _party(actor: User, group_id: int, check_in_id: int, *, lock: bool = False) -> tuple[CheckIn, bool]:
    """The check-in and whether the actor is its member (else its mentor). Nobody else: not found."""
    me = membership(actor, group_id)
    query = CheckIn.objects.select_for_update(of=("self",)) if lock else CheckIn.objects
    found = query.filter(pk=check_in_id, group_id=group_id).select_related("member", "group__agency").first() \
        if 0 < check_in_id < 2**63 else None
    if found is not None and found.member_id == me.pk:
        return found, True
    if found is not None and found.mentor_id == me.pk and me.is_mentor:
        return found, False
    raise NotFound(_("We could not find that."))


@write_limit("check_in_reply")
@transaction.atomic
def check_in_reply(*, actor: User, group_id: int, check_in_id: int, body: str) -> CheckInMessage:
    """Either of the two writes, until it closes. Crisis words in hers are answered, privately to
    her, with the agency's crisis resources (views and API), as in the group."""
    check_in, from_member = _party(actor, group_id, check_in_id, lock=True)
    now = timezone.now()
    if not check_in.is_open(now):
        raise Conflict(_("This check-in has closed. You can still talk in the group."), code="closed")
    if not from_member and check_in.member.check_ins_refused:
        raise NotAllowed(_("%(alias)s chose not to receive check-ins.") % {"alias": check_in.member.alias}, code="refused")
    message = CheckInMessage.objects.create(check_in=check_in, from_member=from_member, body=_message_text(body), created_at=now)
    if from_member:
        check_in.last_to_mentor_at = check_in.member_seen_at = now
    else:
        check_in.last_to_member_at = check_in.mentor_seen_at = now
    check_in.save(update_fields=["last_to_mentor_at", "member_seen_at", "last_to_member_at", "mentor_seen_at"])
    _mark_changed(*(pk for pk in (check_in.member.user_id, check_in.mentor and check_in.mentor.user_id) if pk))
    message.check_in = check_in
    return message


def sounds_like_crisis(message: CheckInMessage) -> bool:
    return message.from_member and checks.sounds_like_crisis(message.body)


def check_in_seen(check_in: CheckIn, *, as_member: bool) -> None:
    """Her (or the mentor's) unread mark goes once she opens it; written only when it changes."""
    now = timezone.now()
    if as_member and check_in.unread_for_member:
        check_in.member_seen_at = now
        CheckIn.objects.filter(pk=check_in.pk).update(member_seen_at=now)
        _mark_changed(check_in.member.user_id)
    elif not as_member and check_in.unread_for_mentor:
        check_in.mentor_seen_at = now
        CheckIn.objects.filter(pk=check_in.pk).update(mentor_seen_at=now)
        if check_in.mentor_id:
            _mark_changed(Membership.objects.filter(pk=check_in.mentor_id).values_list("user_id", flat=True).first())


@transaction.atomic
def check_in_share(*, actor: User, group_id: int, check_in_id: int, allow: bool) -> CheckIn:
    """Her toggle: the group's other mentors may read this check-in's words (they always see
    that it exists, who sent it, when, and whether it is open)."""
    check_in, as_member = _party(actor, group_id, check_in_id, lock=True)
    if not as_member:
        raise NotFound(_("We could not find that."))
    check_in.mentors_may_read = bool(allow)
    check_in.save(update_fields=["mentors_may_read"])
    return check_in


@transaction.atomic
def check_ins_refuse(*, actor: User, group_id: int, refused: bool = True) -> Membership:
    """No more check-ins from this group's mentors (never limited: it protects). An open one
    closes at once; what was written stays for her to read until it is deleted."""
    me = membership(actor, group_id, lock=True)
    me.check_ins_refused = bool(refused)
    me.save(update_fields=["check_ins_refused"])
    if refused:
        CheckIn.objects.filter(member=me, closes_at__gt=timezone.now()).update(closes_at=timezone.now())
    return me


def check_ins_purge(*, now) -> int:
    """Closed check-ins go CHECK_IN_KEEP_DAYS after closing, with their messages (housekeeping)."""
    from peer_support.groups.models import CHECK_IN_KEEP_DAYS

    gone = CheckIn.objects.filter(closes_at__lte=now - timedelta(days=CHECK_IN_KEEP_DAYS))
    return gone.delete()[1].get("groups.CheckIn", 0)


def worries_purge(*, now) -> int:
    """Worries go WORRY_KEEP_DAYS after they were tapped (housekeeping)."""
    from peer_support.groups.models import WORRY_KEEP_DAYS

    return Worry.objects.filter(created_at__lte=now - timedelta(days=WORRY_KEEP_DAYS)).delete()[0]
