"""Reads inside the peer groups. Everything in a group is for its members only; moderation
records for its mentors and the agency's admins. Advocates never see group content."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.groups.models import (
    AgendaItem, Block, CheckIn, Meeting, Membership, ModerationAction, PeerGroup, Post, Report, Worry,
)
from peer_support.groups.services import _group, _party, active_mentors, falls_to_admins, is_admin, membership, mentor
from survivor_portal.accounts.models import User
from survivor_portal.errors import NotFound

PAGE = 20


def groups_for(*, viewer: User) -> list[tuple[PeerGroup, Membership | None]]:
    """Her agency's groups and where she stands in each; for admins, their agency's groups."""
    if not viewer.is_authenticated or viewer.agency_id is None or not (viewer.is_survivor or is_admin(viewer)):
        raise NotFound(_("We could not find that."))
    groups = list(PeerGroup.objects.filter(agency_id=viewer.agency_id))
    mine = {m.group_id: m for m in Membership.objects.filter(user=viewer, group__in=groups)} if viewer.is_survivor else {}
    return [(group, mine.get(group.pk)) for group in groups]


def joinable(*, viewer: User, group_id: int) -> PeerGroup:
    """What someone deciding to join may read: the name, purpose and agreement."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that group."))
    return _group(viewer, group_id)


@dataclass
class Shown:
    """A post as this member sees it."""

    post: Post
    mine: bool
    blocked: bool
    hidden_for_me: bool  # hidden, and not hers
    replies: list


def _shown(post: Post, me: Membership, blocked: set[int]) -> Shown:
    replies = [_shown(reply, me, blocked) for reply in getattr(post, "shown_replies", [])]
    mine = post.author_id == me.pk
    return Shown(post=post, mine=mine, blocked=post.author_id in blocked and not mine,
                 hidden_for_me=post.hidden_at is not None and not mine, replies=replies)


def posts(*, viewer: User, group_id: int, before: int | None = None) -> tuple[Membership, list[Shown], bool, int]:
    """Newest first, twenty at a time, each with its replies (oldest first). Returns her
    membership, the posts, whether there are more, and the newest id (for polling)."""
    me = membership(viewer, group_id)
    # The newest id first: a post committing while the page is read is then found by the next poll.
    newest = Post.objects.filter(group_id=group_id).order_by("-id").values_list("pk", flat=True).first() or 0
    replies = Post.objects.filter(deleted_at__isnull=True).select_related("author").order_by("created_at", "id")
    live_replies = Post.objects.filter(parent=OuterRef("pk"), deleted_at__isnull=True)
    found = (Post.objects.filter(group_id=group_id, parent__isnull=True, pk__lte=newest)
             .filter(Q(deleted_at__isnull=True) | Exists(live_replies))  # a deleted post stays only to hold live replies
             .select_related("author").prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
             .order_by("-id"))
    if before is not None:
        found = found.filter(pk__lt=before)
    page = list(found[:PAGE + 1])
    blocked = set(Block.objects.filter(blocker=me).values_list("blocked_id", flat=True))
    return me, [_shown(post, me, blocked) for post in page[:PAGE]], len(page) > PAGE, newest


def posts_after(*, viewer: User, group_id: int, after: int) -> tuple[Membership, list[Shown], bool, int]:
    """For a poll that found news: new top-level posts (all of them, oldest last) and whether
    there are new replies to older posts."""
    me = membership(viewer, group_id)
    newest = Post.objects.filter(group_id=group_id).order_by("-id").values_list("pk", flat=True).first() or 0
    replies = Post.objects.filter(deleted_at__isnull=True).select_related("author").order_by("created_at", "id")
    fresh = list(Post.objects.filter(group_id=group_id, parent__isnull=True, pk__gt=after, pk__lte=newest,
                                     deleted_at__isnull=True)
                 .select_related("author").prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
                 .order_by("-id")[:200])
    new_replies = Post.objects.filter(group_id=group_id, parent__isnull=False, parent_id__lte=after, pk__gt=after,
                                      pk__lte=newest).exists()
    blocked = set(Block.objects.filter(blocker=me).values_list("blocked_id", flat=True))
    return me, [_shown(post, me, blocked) for post in fresh], new_replies, newest


def anything_new(*, viewer: User, group_id: int, after: int) -> bool:
    """The polling question: one indexed query when nothing is new."""
    membership(viewer, group_id)
    return Post.objects.filter(group_id=group_id, pk__gt=after).exists()


def next_meeting(group_id: int) -> Meeting | None:
    return Meeting.objects.filter(group_id=group_id, starts_at__gt=timezone.now()).order_by("starts_at").first()


def agenda(*, viewer: User, group_id: int) -> tuple[Membership, list[AgendaItem], Meeting | None]:
    """Open items, most supported first; she sees which she supports."""
    me = membership(viewer, group_id)
    from peer_support.groups.models import Support

    items = list(AgendaItem.objects.filter(group_id=group_id, discussed_at__isnull=True)
                 .annotate(support_count=Count("supports"),
                           supported=Exists(Support.objects.filter(item=OuterRef("pk"), member=me)))
                 .select_related("proposer").order_by("-support_count", "created_at"))
    return me, items, next_meeting(group_id)


def _to_look_at(group_ids):
    """Reported, hidden (to restore), or in crisis words, which stay even if their author deleted them."""
    return (Post.objects.filter(group_id__in=group_ids)
            .filter(Q(deleted_at__isnull=True, reports__dismissed_at__isnull=True, reports__isnull=False)
                    | Q(deleted_at__isnull=True, hidden_at__isnull=False) | Q(needs_attention=True))
            .distinct())


def queue(*, viewer: User, group_id: int) -> tuple[Membership | None, list[Post], list[Membership]]:
    """For the group's mentors: posts to look at, oldest first (never their own: another
    mentor looks at those), and people asking to join. For the agency's admins: only the
    posts no other mentor can look at."""
    if is_admin(viewer):
        me, group = None, _group(viewer, group_id)
    else:
        me = mentor(viewer, group_id)
        group = me.group
    open_reports = Report.objects.filter(dismissed_at__isnull=True).select_related("reporter")
    found = (_to_look_at([group.pk]).select_related("author")
             .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports")).order_by("created_at"))
    if me is None:
        mentors = active_mentors(group.pk)
        return None, [post for post in found[:200] if falls_to_admins(post, mentors)], []
    waiting = list(Membership.objects.filter(group_id=group_id, state=Membership.State.REQUESTED).order_by("joined_at"))
    return me, list(found.exclude(author=me)[:200]), waiting


def admin_queue_sizes(*, viewer: User) -> dict[int, int]:
    """For an agency admin: how many posts in each of her agency's groups wait for her."""
    if not is_admin(viewer):
        return {}
    groups = PeerGroup.objects.filter(agency_id=viewer.agency_id).values("pk")
    mentors: dict[int, set[int]] = {}
    for group_id, pk in Membership.objects.filter(group__in=groups, role=Membership.Role.MENTOR,
                                                  state=Membership.State.ACTIVE).values_list("group_id", "pk"):
        mentors.setdefault(group_id, set()).add(pk)
    sizes: dict[int, int] = {}
    for post in _to_look_at(groups).only("pk", "group_id", "author_id"):
        if falls_to_admins(post, mentors.get(post.group_id, set())):
            sizes[post.group_id] = sizes.get(post.group_id, 0) + 1
    return sizes


def members(*, viewer: User, group_id: int) -> list[Membership]:
    """Aliases only, for the mentors' mute and remove buttons."""
    mentor(viewer, group_id)
    return list(Membership.objects.filter(group_id=group_id, state=Membership.State.ACTIVE).order_by("alias"))


def moderation_log(*, viewer: User, group_id: int) -> tuple[PeerGroup, list[ModerationAction]]:
    """The group's mentors and the agency's admins read it; nobody edits it."""
    if is_admin(viewer):
        group = _group(viewer, group_id)
    else:
        group = mentor(viewer, group_id).group
    return group, list(ModerationAction.objects.filter(group=group)[:500])


def peer_mentors(*, viewer: User) -> list[User]:
    """For an agency admin: the survivors of her agency with the peer-mentor role."""
    if not is_admin(viewer):
        raise NotFound(_("We could not find that."))
    people = User.objects.filter(agency_id=viewer.agency_id, role=User.Role.SURVIVOR, is_peer_mentor=True, is_active=True)
    return sorted(people, key=lambda person: (person.display_name.casefold(), person.pk))  # names are sealed: sorted here


def group_mentors(*, viewer: User, group_id: int | None = None) -> dict[int, list[Membership]]:
    """For an agency admin: who mentors each group of her agency (or one group), with their alias."""
    if not is_admin(viewer):
        raise NotFound(_("We could not find that."))
    found = Membership.objects.filter(group__agency_id=viewer.agency_id, role=Membership.Role.MENTOR,
                                      state=Membership.State.ACTIVE).select_related("user").order_by("alias")
    if group_id is not None:
        found = found.filter(group=_group(viewer, group_id))
    mentors: dict[int, list[Membership]] = {}
    for membership_ in found:
        mentors.setdefault(membership_.group_id, []).append(membership_)
    return mentors


# ---- Worry and check-ins -----------------------------------------------------------------------


def worried_about(*, viewer: User, group_id: int) -> list[Post]:
    """For the group's mentors: posts members are worried about (never a mentor's own: another
    mentor looks), with how many are worried, newest first. Who tapped it is not shown."""
    me = mentor(viewer, group_id)
    return list(Post.objects.filter(group_id=group_id, worries__isnull=False).exclude(author=me).exclude(author=None)
                .annotate(worried=Count("worries")).select_related("author").order_by("-id")[:100])


def check_ins_here(*, viewer: User, group_id: int) -> list[CheckIn]:
    """On the group's page: her check-ins (as the member) and those she sent (as a mentor), newest
    first, each with `as_member` and `unread` set for her. One query."""
    me = membership(viewer, group_id)
    found = list(CheckIn.objects.filter(group_id=group_id).filter(Q(member=me) | Q(mentor=me) if me.is_mentor else Q(member=me))
                 .select_related("member")[:50])
    for check_in in found:
        check_in.as_member = check_in.member_id == me.pk
        check_in.unread = check_in.unread_for_member if check_in.as_member else check_in.unread_for_mentor
    return found


def check_ins_of_group(*, viewer: User, group_id: int) -> tuple[Membership, list[CheckIn]]:
    """For any mentor of the group: every check-in (who, when, open or closed); its words only
    where she allowed the group's mentors to read them, or the mentor sent it."""
    me = mentor(viewer, group_id)
    found = list(CheckIn.objects.filter(group_id=group_id).select_related("member")[:200])
    for check_in in found:
        check_in.readable = check_in.mentor_id == me.pk or check_in.mentors_may_read
    return me, found


def check_in(*, viewer: User, group_id: int, check_in_id: int) -> tuple[CheckIn, str, list]:
    """One check-in with its messages, for her, its mentor, or (if she allowed it) the group's
    other mentors. Returns it, how the viewer stands ("member", "mentor" or "reader"), and the
    messages. Opening it clears the viewer's unread mark."""
    from peer_support.groups.services import check_in_seen

    try:
        found, as_member = _party(viewer, group_id, check_in_id)
        role = "member" if as_member else "mentor"
    except NotFound:
        me = mentor(viewer, group_id)
        found = CheckIn.objects.filter(pk=check_in_id, group_id=group_id, mentors_may_read=True).exclude(member=me) \
            .select_related("member", "group__agency").first() if 0 < check_in_id < 2**63 else None
        if found is None:
            raise
        role = "reader"
    if role != "reader":
        check_in_seen(found, as_member=role == "member")
    return found, role, list(found.messages.all())


def check_in_anything_new(*, viewer: User, group_id: int, check_in_id: int, after: int) -> bool:
    """The polling question for a check-in: one query, for her or its mentor only (anyone else:
    not found)."""
    found = None
    if viewer.is_authenticated and 0 < check_in_id < 2**63:
        mine = Q(member__user=viewer, member__state=Membership.State.ACTIVE) | Q(
            mentor__user=viewer, mentor__state=Membership.State.ACTIVE, mentor__role=Membership.Role.MENTOR)
        found = (CheckIn.objects.filter(mine, pk=check_in_id, group_id=group_id)
                 .annotate(newest=Max("messages__pk")).values_list("newest", flat=True).first())
    if found is None:
        raise NotFound(_("We could not find that."))
    return found > after


def unread_check_ins(user: User):
    """Check-ins where something new waits for this person: to her as the member, or (her answer)
    to her as its mentor. A queryset, so the menu's one query can ask it beside conversations'."""
    to_her = Q(member__user=user, member__state=Membership.State.ACTIVE, last_to_member_at__isnull=False) & (
        Q(member_seen_at__isnull=True) | Q(member_seen_at__lt=F("last_to_member_at")))
    to_mentor = Q(mentor__user=user, mentor__state=Membership.State.ACTIVE, mentor__role=Membership.Role.MENTOR,
                  last_to_mentor_at__isnull=False) & (Q(mentor_seen_at__isnull=True) | Q(mentor_seen_at__lt=F("last_to_mentor_at")))
    return CheckIn.objects.filter(to_her | to_mentor)


def groups_with_unread_check_ins(*, viewer: User) -> set[int]:
    """The groups where something new waits for her in a check-in. One query."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return set()
    return set(unread_check_ins(viewer).values_list("group_id", flat=True).distinct())


def has_unread_check_ins(user: User) -> bool:
    """For her menu's neutral unread mark (beside conversations'): anything new in a check-in."""
    return bool(user.is_authenticated and user.is_survivor and unread_check_ins(user).exists())
