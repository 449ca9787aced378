from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from peer_support.groups import selectors, services
from peer_support.groups.models import Membership, ModerationAction
from peer_support.groups.schemas import (
    AgendaIn,
    AgendaOut,
    BlockIn,
    CheckInIn,
    CheckInMessageIn,
    CheckInMessageOut,
    CheckInOut,
    CheckInShareIn,
    CheckInsRefusedIn,
    GroupOut,
    HideIn,
    GroupJoinIn,
    LogOut,
    MembershipOut,
    MentorOut,
    MuteIn,
    PostIn,
    PostOut,
    PostPatch,
    PostsOut,
    QueueOut,
    RemoveIn,
    ReportIn,
)
from survivor_portal.accounts.schemas import RoleHolderOut, UsernameIn
from survivor_portal.idempotency.keys import idempotent
from survivor_portal.versions import etag, expected_from_if_match, if_match_header
from survivor_portal import times

router = Router(tags=["groups"])
posts_router = Router(tags=["groups"])
agenda_router = Router(tags=["groups"])


def _group(group, me: Membership | None) -> dict:
    meeting = selectors.next_meeting(group.pk) if me is not None and me.state == "active" else None
    return {
        "id": group.pk, "name": group.name, "purpose": group.purpose, "language": group.language,
        "open_to_join": group.open_to_join, "agreement": group.agreement,
        "my_state": me.state if me else None, "my_alias": me.alias if me else None, "my_role": me.role if me else None,
        "muted_until": me.muted_until if me and me.muted() else None,
        "crisis_resources": group.agency.crisis_resources,
        "next_meeting": f"{times.named(times.when(meeting.starts_at, group.agency), group.agency)} · {meeting.place_label}" if meeting else None,
    }


def post_out(shown: selectors.Shown, crisis: str | None = None) -> dict:
    post = shown.post
    state = "deleted" if post.deleted_at else "blocked" if shown.blocked else "hidden" if post.hidden_at else "visible"
    readable = state == "visible" or (state == "hidden" and shown.mine)
    return {
        "id": post.pk, "alias": post.alias, "author_membership_id": post.author_id, "mine": shown.mine,
        "body": post.body if readable else None, "content_warning": post.content_warning if readable else "",
        "created_at": post.created_at, "edited_at": post.edited_at, "state": state,
        "hidden_reason": (post.hidden_reason or _("Hidden after reports, waiting for a peer mentor")) if shown.mine and post.hidden_at else None,
        "parent_id": post.parent_id, "replies": [post_out(reply) for reply in shown.replies], "crisis_support": crisis,
        "version": post.version if shown.mine else None,
    }


def _mine(actor, post) -> dict:
    crisis = post.group.agency.crisis_resources if post.needs_attention else None
    return post_out(selectors.Shown(post=post, mine=True, blocked=False, hidden_for_me=False, replies=[]), crisis)


@router.get("", response=list[GroupOut])
def groups(request: HttpRequest):
    return [_group(group, me) for group, me in selectors.groups_for(viewer=request.user)]


@router.get("/{int:group_id}", response=GroupOut)
def group(request: HttpRequest, group_id: int):
    found = selectors.joinable(viewer=request.user, group_id=group_id)
    me = Membership.objects.filter(group=found, user=request.user).first()
    return _group(found, me)


@router.post("/{int:group_id}/join", response={201: MembershipOut})
def join(request: HttpRequest, group_id: int, payload: GroupJoinIn):
    return Status(201, services.join(actor=request.user, group_id=group_id, **payload.dict()))


@router.post("/{int:group_id}/leave", response={204: None})
def leave(request: HttpRequest, group_id: int):
    services.leave(actor=request.user, group_id=group_id)
    return Status(204, None)


@router.get("/{int:group_id}/posts", response=PostsOut)
def posts(request: HttpRequest, group_id: int, before: int | None = None):
    _me, shown, more, newest = selectors.posts(viewer=request.user, group_id=group_id,
                                               before=before if before and 0 < before < 2**63 else None)
    return {"posts": [post_out(s) for s in shown], "more": more, "newest_id": newest}


@router.post("/{int:group_id}/posts", response={201: PostOut})
@idempotent
def post_create(request: HttpRequest, group_id: int, payload: PostIn):
    post = services.post_create(actor=request.user, group_id=group_id, **payload.dict())
    return Status(201, _mine(request.user, post))


@posts_router.patch("/{int:post_id}", response=PostOut)
def post_edit(request: HttpRequest, post_id: int, payload: PostPatch, response: HttpResponse,
              if_match: str | None = if_match_header()):
    """Her own post, within 15 minutes. With `If-Match`, an edit based on an older read is refused (412)."""
    post = services.post_edit(actor=request.user, post_id=post_id, version=expected_from_if_match(if_match),
                              **payload.dict())
    response["ETag"] = etag(post)
    return _mine(request.user, post)


@posts_router.delete("/{int:post_id}", response={204: None})
def post_delete(request: HttpRequest, post_id: int):
    services.post_delete(actor=request.user, post_id=post_id)
    return Status(204, None)


@posts_router.post("/{int:post_id}/reports", response={201: None})
def report(request: HttpRequest, post_id: int, payload: ReportIn):
    services.report(actor=request.user, post_id=post_id, **payload.dict())
    return Status(201, None)


@posts_router.post("/{int:post_id}/hide", response={204: None})
def hide(request: HttpRequest, post_id: int, payload: HideIn):
    services.hide(actor=request.user, post_id=post_id, reason=payload.reason)
    return Status(204, None)


@posts_router.post("/{int:post_id}/restore", response={204: None})
def restore(request: HttpRequest, post_id: int):
    services.restore(actor=request.user, post_id=post_id)
    return Status(204, None)


@posts_router.post("/{int:post_id}/dismiss", response={204: None})
def dismiss(request: HttpRequest, post_id: int):
    services.dismiss(actor=request.user, post_id=post_id)
    return Status(204, None)


@router.get("/{int:group_id}/moderation/queue", response=list[QueueOut])
def moderation_queue(request: HttpRequest, group_id: int):
    _me, found, _waiting = selectors.queue(viewer=request.user, group_id=group_id)
    return [{"id": p.pk, "alias": p.alias, "body": p.body, "created_at": p.created_at, "hidden": p.hidden_at is not None,
             "auto_hidden": p.auto_hidden, "needs_attention": p.needs_attention,
             "reports": [str(r.get_reason_display()) for r in p.open_reports]} for p in found]


@router.get("/{int:group_id}/moderation/log", response=list[LogOut])
def moderation_log(request: HttpRequest, group_id: int):
    _group, actions = selectors.moderation_log(viewer=request.user, group_id=group_id)
    return [{"who": a.actor_label, "what": str(ModerationAction.Kind(a.kind).label), "target": a.target_label, "reason": a.reason,
             "at": a.at} for a in actions]


@router.post("/{int:group_id}/members/{int:membership_id}/mute", response=MembershipOut)
def mute(request: HttpRequest, group_id: int, membership_id: int, payload: MuteIn):
    return services.mute(actor=request.user, group_id=group_id, membership_id=membership_id, **payload.dict())


@router.post("/{int:group_id}/members/{int:membership_id}/remove", response=MembershipOut)
def remove(request: HttpRequest, group_id: int, membership_id: int, payload: RemoveIn):
    return services.remove(actor=request.user, group_id=group_id, membership_id=membership_id, **payload.dict())


@router.post("/{int:group_id}/blocks", response={204: None})
def block(request: HttpRequest, group_id: int, payload: BlockIn):
    services.block(actor=request.user, group_id=group_id, **payload.dict())
    return Status(204, None)


@router.get("/{int:group_id}/agenda", response=list[AgendaOut])
def agenda(request: HttpRequest, group_id: int):
    _me, items, _meeting = selectors.agenda(viewer=request.user, group_id=group_id)
    return [{"id": i.pk, "text": i.text, "support": i.support_count, "supported_by_me": i.supported} for i in items]


@router.post("/{int:group_id}/agenda", response={201: AgendaOut})
def agenda_add(request: HttpRequest, group_id: int, payload: AgendaIn):
    item = services.agenda_add(actor=request.user, group_id=group_id, text=payload.text)
    return Status(201, {"id": item.pk, "text": item.text, "support": 1, "supported_by_me": True})


@agenda_router.post("/{int:item_id}/support", response={204: None})
def support(request: HttpRequest, item_id: int):
    services.support(actor=request.user, item_id=item_id)
    return Status(204, None)


# ---- Who mentors (agency admins) ----------------------------------------------------------------


def _mentor_out(found: Membership) -> dict:
    return {"membership_id": found.pk, "alias": found.alias, "user_id": found.user_id, "display_name": found.user.display_name}


@router.get("/peer-mentors", response=list[RoleHolderOut])
def peer_mentors(request: HttpRequest):
    return selectors.peer_mentors(viewer=request.user)


@router.post("/peer-mentors", response={201: RoleHolderOut})
def peer_mentor_make(request: HttpRequest, payload: UsernameIn):
    return Status(201, services.peer_mentor_make(actor=request.user, username=payload.username))


@router.delete("/peer-mentors/{int:user_id}", response={204: None})
def peer_mentor_stop(request: HttpRequest, user_id: int):
    services.peer_mentor_stop(actor=request.user, user_id=user_id)
    return Status(204, None)


@router.get("/{int:group_id}/mentors", response=list[MentorOut])
def group_mentors(request: HttpRequest, group_id: int):
    return [_mentor_out(m) for m in selectors.group_mentors(viewer=request.user, group_id=group_id).get(group_id, [])]


@router.post("/{int:group_id}/mentors", response={201: MentorOut})
def mentor_appoint(request: HttpRequest, group_id: int, payload: UsernameIn):
    return Status(201, _mentor_out(services.mentor_appoint(actor=request.user, group_id=group_id, username=payload.username)))


@router.delete("/{int:group_id}/mentors/{int:membership_id}", response={204: None})
def mentor_step_down(request: HttpRequest, group_id: int, membership_id: int):
    services.mentor_step_down(actor=request.user, group_id=group_id, membership_id=membership_id)
    return Status(204, None)


# ---- Worry and check-ins -----------------------------------------------------------------------


@posts_router.post("/{int:post_id}/worried", response={204: None})
def worried(request: HttpRequest, post_id: int):
    """"I'm worried about them", once per post: only the group's peer mentors see it."""
    services.worry(actor=request.user, post_id=post_id)
    return Status(204, None)


def _message_out(check_in, message, role: str) -> dict:
    mine = message.from_member == (role == "member") and role != "reader"
    crisis = check_in.group.agency.crisis_resources if mine and services.sounds_like_crisis(message) else None
    return {"id": message.pk, "alias": check_in.member.alias if message.from_member else check_in.mentor_alias,
            "mine": mine, "body": message.body, "created_at": message.created_at, "crisis_support": crisis}


def _check_in_out(check_in, role: str, messages: list | None = None) -> dict:
    unread = check_in.unread_for_member if role == "member" else check_in.unread_for_mentor if role == "mentor" else False
    return {"id": check_in.pk, "member_alias": check_in.member.alias, "mentor_alias": check_in.mentor_alias, "i_am": role,
            "reason": check_in.reason, "created_at": check_in.created_at, "closes_at": check_in.closes_at,
            "open": check_in.is_open(), "mentors_may_read": check_in.mentors_may_read, "unread": unread,
            "messages": [_message_out(check_in, m, role) for m in messages] if messages is not None else None}


@router.get("/{int:group_id}/check-ins", response=list[CheckInOut])
def check_ins(request: HttpRequest, group_id: int):
    """Hers (to her, or sent by her as a mentor); for a mentor also every other check-in of the
    group: who, when, open or closed, never the words."""
    mine = selectors.check_ins_here(viewer=request.user, group_id=group_id)
    found = [_check_in_out(c, "member" if c.as_member else "mentor") for c in mine]
    if services.membership(request.user, group_id).is_mentor:
        _me, every = selectors.check_ins_of_group(viewer=request.user, group_id=group_id)
        seen = {c.pk for c in mine}
        found += [_check_in_out(c, "other_mentor") for c in every if c.pk not in seen]
    return found


@router.post("/{int:group_id}/check-ins", response={201: CheckInOut})
@idempotent
def check_in_start(request: HttpRequest, group_id: int, payload: CheckInIn):
    """A mentor of the group, once, to the author of a post with crisis words or a member's worry."""
    made = services.check_in_start(actor=request.user, group_id=group_id, **payload.dict())
    return Status(201, _check_in_out(made, "mentor", list(made.messages.all())))


@router.get("/{int:group_id}/check-ins/{int:check_in_id}", response=CheckInOut)
def check_in(request: HttpRequest, group_id: int, check_in_id: int):
    """With its messages; reading it clears her (or its mentor's) unread mark."""
    found, role, messages = selectors.check_in(viewer=request.user, group_id=group_id, check_in_id=check_in_id)
    return _check_in_out(found, role, messages)


@router.post("/{int:group_id}/check-ins/{int:check_in_id}/messages", response={201: CheckInMessageOut})
@idempotent
def check_in_reply(request: HttpRequest, group_id: int, check_in_id: int, payload: CheckInMessageIn):
    message = services.check_in_reply(actor=request.user, group_id=group_id, check_in_id=check_in_id, body=payload.body)
    return Status(201, _message_out(message.check_in, message, "member" if message.from_member else "mentor"))


@router.put("/{int:group_id}/check-ins/{int:check_in_id}/mentors-may-read", response=CheckInOut)
def check_in_share(request: HttpRequest, group_id: int, check_in_id: int, payload: CheckInShareIn):
    found = services.check_in_share(actor=request.user, group_id=group_id, check_in_id=check_in_id, allow=payload.allow)
    return _check_in_out(found, "member")


@router.put("/{int:group_id}/check-ins/refused", response=MembershipOut)
def check_ins_refuse(request: HttpRequest, group_id: int, payload: CheckInsRefusedIn):
    """Her choice for this group: no private check-ins from its peer mentors (an open one closes)."""
    return services.check_ins_refuse(actor=request.user, group_id=group_id, refused=payload.refused)
