"""Peer groups as pages. Rules live in services and selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peer_support.groups import polling, selectors, services
from peer_support.groups.forms import (
    AgendaForm, AgreementForm, CheckInForm, GroupForm, JoinForm, MeetingForm, PostEditForm, PostForm, ReportForm,
)
from peer_support.groups.models import Membership, Post
from survivor_portal.errors import Conflict, DomainError, NotAllowed, NotFound
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal import times
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, id_from, not_found_is_404, show_error, version_sent
from survivor_portal.write_limits import TooFast



@not_found_is_404
def groups(request: HttpRequest) -> HttpResponse:
    rows = selectors.groups_for(viewer=request.user)
    form = None
    if services.is_admin(request.user):
        form = GroupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                group = services.group_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("Group “%(name)s” created. Now appoint its peer mentors.") % {"name": group.name})
                return redirect("groups:list")
    elif request.method == "POST":
        raise NotFound
    people = None
    if services.is_admin(request.user):
        waiting, mentors = selectors.admin_queue_sizes(viewer=request.user), selectors.group_mentors(viewer=request.user)
        for group, _me in rows:
            group.waiting_for_admin, group.mentors = waiting.get(group.pk, 0), mentors.get(group.pk, [])
        people = selectors.peer_mentors(viewer=request.user)
    unread = selectors.groups_with_unread_check_ins(viewer=request.user)
    return render(request, "groups/list.html", {"rows": rows, "form": form, "peer_mentors": people, "unread": unread})


def _admin_act(request: HttpRequest, act, done) -> HttpResponse:
    """An agency admin's change to who mentors: told at the top of the groups page."""
    if not services.is_admin(request.user):
        raise NotFound
    try:
        result = act()
    except NotFound:
        raise
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, done(result))
    return redirect("groups:list")


@not_found_is_404
@require_POST
def appoint(request: HttpRequest, group_id: int) -> HttpResponse:
    return _admin_act(request, lambda: services.mentor_appoint(actor=request.user, group_id=group_id,
                                                               username=request.POST.get("username", "")),
                      lambda found: _("Appointed. In the group they appear as “%(alias)s”.") % {"alias": found.alias})


@not_found_is_404
@require_POST
def step_down(request: HttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    return _admin_act(request, lambda: services.mentor_step_down(actor=request.user, group_id=group_id,
                                                                 membership_id=membership_id),
                      lambda found: _("“%(alias)s” no longer mentors this group, and stays in it as a member.")
                      % {"alias": found.alias})


@not_found_is_404
@require_POST
def peer_mentor_make(request: HttpRequest) -> HttpResponse:
    return _admin_act(request, lambda: services.peer_mentor_make(actor=request.user, username=request.POST.get("username", "")),
                      lambda person: _("%(name)s is now a peer mentor. Appoint them to a group below.")
                      % {"name": person.display_name})


@not_found_is_404
@require_POST
def peer_mentor_stop(request: HttpRequest, user_id: int) -> HttpResponse:
    return _admin_act(request, lambda: services.peer_mentor_stop(actor=request.user, user_id=user_id),
                      lambda person: _("%(name)s is no longer a peer mentor, and mentors no group.")
                      % {"name": person.display_name})


@not_found_is_404
def join(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.joinable(viewer=request.user, group_id=group_id)
    form = JoinForm(request.POST or None, initial={"alias": services.suggest_alias(group.pk)})
    if request.method == "POST" and form.is_valid():
        try:
            joined = services.join(actor=request.user, group_id=group.pk, **form.cleaned_data)
        except NotAllowed as error:
            messages.error(request, error.message)
            return redirect("groups:list")
        except DomainError as error:
            show_error(form, error)
        else:
            if joined.state == Membership.State.REQUESTED:
                messages.success(request, _("Asked. A peer mentor will let you in soon."))
                return redirect("groups:list")
            messages.success(request, _("Welcome. You are “%(alias)s” here.") % {"alias": joined.alias})
            return redirect("groups:group", group_id=group.pk)
    return render(request, "groups/join.html", {"group": group, "form": form})


def _group_page(request: HttpRequest, group_id: int, *, form=None, confirm=False, status=200,
                parent: int | None = None) -> HttpResponse:
    before = id_from(request.GET.get("before"))
    me, shown, more, newest = selectors.posts(viewer=request.user, group_id=group_id, before=before)
    group = me.group
    polling.opened(request, group.pk)
    return render(request, "groups/group.html", {
        "me": me, "group": group, "shown": shown, "more": more, "newest": newest, "before": before,
        "oldest": shown[-1].post.pk if shown else None,
        "form": form or PostForm(), "confirm": confirm, "meeting": selectors.next_meeting(group.pk), "parent_id": parent,
        "muted_until": me.muted_until if me.muted() else None,
        "check_ins": selectors.check_ins_here(viewer=request.user, group_id=group.pk),
    }, status=status)


@not_found_is_404
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_page(request, group_id)


@not_found_is_404
def new_posts(request: HttpRequest, group_id: int) -> HttpResponse:
    """Polling: nothing new is answered before this by polling.quick_poll where it can be, else
    by one small query and an empty 204."""
    after = id_from(request.GET.get("after")) or 0
    if not selectors.anything_new(viewer=request.user, group_id=group_id, after=after):
        if polling.quick_answers(request, group_id):
            polling.remember_newest(group_id)  # the key was missing: her next polls need no database
        return HttpResponse(status=204)
    me, fresh, new_replies, newest = selectors.posts_after(viewer=request.user, group_id=group_id, after=after)
    return render(request, "groups/new_posts.html", {
        "me": me, "group": me.group, "shown": fresh, "newest": newest, "new_replies": new_replies,
        "muted_until": me.muted_until if me.muted() else None})


@not_found_is_404
@require_POST
def post(request: HttpRequest, group_id: int) -> HttpResponse:
    form = PostForm(request.POST)
    parent_id = id_from(request.POST.get("parent_id"))
    if form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data.pop("once")):
                made = services.post_create(actor=request.user, group_id=group_id, parent_id=parent_id,
                                            confirm_identifying=request.POST.get("confirm_identifying") == "1",
                                            **form.cleaned_data)
        except NotFound:
            raise
        except AlreadyDone:
            return redirect("groups:group", group_id=group_id)  # a double tap: the first one posted it
        except NotAllowed as error:
            messages.error(request, error.message)
        except DomainError as error:
            if error.code != "may_identify":  # that one is asked in the box above the form, not as an error
                show_error(form, error)
            return _group_page(request, group_id, form=form, confirm=error.code == "may_identify", parent=parent_id)
        else:
            if made.needs_attention:
                messages.warning(request, _("Thank you for sharing this. If you need someone now: %(help)s")
                                 % {"help": made.group.agency.crisis_resources or _("ask your advocate or a peer mentor")})
            return redirect(reverse("groups:group", args=[group_id]) + f"#p{made.pk}")
    else:
        services.membership(request.user, group_id)
        return _group_page(request, group_id, form=form)
    return redirect("groups:group", group_id=group_id)


def _post_now(post: Post) -> dict:
    return {"body": post.body, "content_warning": post.content_warning, "version": post.version}


@not_found_is_404
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    found = services._own_post(request.user, post_id) if request.method == "POST" else \
        Post.objects.filter(pk=post_id, author__user=request.user, deleted_at__isnull=True).first()
    if found is None:
        raise NotFound
    form = PostEditForm(request.POST or None, initial=_post_now(found))
    confirm = False
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(actor=request.user, post_id=post_id, version=version_sent(form),
                               confirm_identifying=request.POST.get("confirm_identifying") == "1",
                               body=form.cleaned_data["body"], content_warning=form.cleaned_data["content_warning"])
        except NotFound:
            raise
        except Stale:
            here = reverse("groups:post_edit", args=[post_id])
            return conflict_page(request, form=form, saved=_post_now(Post.objects.get(pk=post_id)), action=here,
                                 back=reverse("groups:group", args=[found.group_id]))
        except DomainError as error:
            confirm = error.code == "may_identify"
            if not confirm:
                show_error(form, error)
        else:
            edited = Post.objects.get(pk=post_id)
            if edited.needs_attention:
                messages.warning(request, _("Thank you for sharing this. If you need someone now: %(help)s")
                                 % {"help": edited.group.agency.crisis_resources or _("ask your advocate or a peer mentor")})
            messages.success(request, _("Changed."))
            return redirect("groups:group", group_id=found.group_id)
    return render(request, "groups/post_edit.html", {"post": found, "form": form, "confirm": confirm,
                                                     "editable": found.editable()})


@not_found_is_404
@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    found = services.post_delete(actor=request.user, post_id=post_id)
    messages.success(request, _("Deleted."))
    return redirect("groups:group", group_id=found.group_id)


@not_found_is_404
def report(request: HttpRequest, post_id: int) -> HttpResponse:
    found = Post.objects.filter(pk=post_id, deleted_at__isnull=True).select_related("author").first() if 0 < post_id < 2**63 else None
    if found is None:
        raise NotFound
    services.membership(request.user, found.group_id)  # members only
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(actor=request.user, post_id=post_id, **form.cleaned_data)
        except NotFound:
            raise
        except TooFast as error:  # the form again, with her words
            show_error(form, error)
            return render(request, "groups/report.html", {"post": found, "form": form})
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Thank you. A peer mentor will look at it."))
        return redirect("groups:group", group_id=found.group_id)
    return render(request, "groups/report.html", {"post": found, "form": form})


@not_found_is_404
def leave(request: HttpRequest, group_id: int) -> HttpResponse:
    me = services.membership(request.user, group_id)
    if request.method == "POST":
        services.leave(actor=request.user, group_id=group_id)
        polling.closed(request, group_id)
        messages.success(request, _("You left the group. Nobody was told."))
        return redirect("groups:list")
    return render(request, "groups/leave.html", {"group": me.group})


@not_found_is_404
@require_POST
def block(request: HttpRequest, group_id: int) -> HttpResponse:
    blocked = request.POST.get("blocked", "1") == "1"
    services.block(actor=request.user, group_id=group_id, membership_id=id_from(request.POST.get("membership_id")) or 0,
                   blocked=blocked)
    messages.success(request, _("Done. Their posts are folded away for you; nobody is told.") if blocked else _("Unblocked."))
    return redirect("groups:group", group_id=group_id)


@not_found_is_404
def agenda(request: HttpRequest, group_id: int) -> HttpResponse:
    me, items, meeting = selectors.agenda(viewer=request.user, group_id=group_id)
    form = AgendaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_add(actor=request.user, group_id=group_id, text=form.cleaned_data["text"])
        except NotAllowed as error:
            messages.error(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Added to the list for next time."))
            return redirect("groups:agenda", group_id=group_id)
    return render(request, "groups/agenda.html", {"me": me, "group": me.group, "items": items, "meeting": meeting,
                                                  "form": form, "meeting_form": MeetingForm() if me.is_mentor else None})


@not_found_is_404
@require_POST
def support(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.support(actor=request.user, item_id=item_id)
    return redirect("groups:agenda", group_id=item.group_id)


@not_found_is_404
@require_POST
def discussed(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.mark_discussed(actor=request.user, item_id=item_id)
    return redirect("groups:agenda", group_id=item.group_id)


@not_found_is_404
@require_POST
def meeting(request: HttpRequest, group_id: int) -> HttpResponse:
    me = services.mentor(request.user, group_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            times.sane(data["day"], "day")
            services.meeting_set(actor=request.user, group_id=group_id, place_label=data["place_label"],
                                 starts_at=times.at(data["day"], data["start"], me.group.agency))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The next meeting is set."))
    else:
        messages.error(request, _("Give a day, a time and a place."))
    return redirect("groups:agenda", group_id=group_id)


# ---- Moderation --------------------------------------------------------------------------------


@not_found_is_404
def moderation(request: HttpRequest, group_id: int) -> HttpResponse:
    me, queued, waiting = selectors.queue(viewer=request.user, group_id=group_id)
    if me is None:  # an agency admin: the posts no other mentor can look at, nothing more
        return render(request, "groups/moderation.html", {"group": services._group(request.user, group_id), "queued": queued})
    _me, check_ins = selectors.check_ins_of_group(viewer=request.user, group_id=group_id)
    return render(request, "groups/moderation.html", {
        "me": me, "group": me.group, "queued": queued, "waiting": waiting, "check_ins": check_ins,
        "worried": selectors.worried_about(viewer=request.user, group_id=group_id),
        "members": selectors.members(viewer=request.user, group_id=group_id),
        "agreement_form": AgreementForm(initial={"agreement": me.group.agreement}),
    })


def _act(request: HttpRequest, group_id: int | None, act, done: str) -> HttpResponse:
    try:
        result = act()
    except NotFound:
        raise
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        result = None
    else:
        messages.success(request, done)
    if group_id is None and result is not None:
        group_id = result.group_id
    return redirect("groups:moderation", group_id=group_id) if group_id else redirect("groups:list")


@not_found_is_404
@require_POST
def hide(request, post_id):
    return _act(request, None, lambda: services.hide(actor=request.user, post_id=post_id, reason=request.POST.get("reason", "")),
                _("Hidden. The author sees your reason; others see that a peer mentor hid it."))


@not_found_is_404
@require_POST
def restore(request, post_id):
    return _act(request, None, lambda: services.restore(actor=request.user, post_id=post_id), _("Restored."))


@not_found_is_404
@require_POST
def dismiss(request, post_id):
    return _act(request, None, lambda: services.dismiss(actor=request.user, post_id=post_id), _("Reports dismissed. The post stays."))


@not_found_is_404
@require_POST
def mute(request, group_id, membership_id):
    return _act(request, group_id, lambda: services.mute(actor=request.user, group_id=group_id, membership_id=membership_id,
                                                         duration=request.POST.get("duration", ""), reason=request.POST.get("reason", "")),
                _("Muted. They can read, and are told until when they cannot post."))


@not_found_is_404
@require_POST
def remove(request, group_id, membership_id):
    return _act(request, group_id, lambda: services.remove(actor=request.user, group_id=group_id, membership_id=membership_id,
                                                           reason=request.POST.get("reason", "")), _("Removed from the group."))


@not_found_is_404
@require_POST
def admit(request, group_id, membership_id):
    return _act(request, group_id, lambda: services.admit(actor=request.user, group_id=group_id, membership_id=membership_id),
                _("Let in."))


@not_found_is_404
@require_POST
def decline(request, group_id, membership_id):
    return _act(request, group_id, lambda: services.decline(actor=request.user, group_id=group_id, membership_id=membership_id),
                _("Not let in this time. They can ask again later."))


@not_found_is_404
@require_POST
def agreement(request, group_id):
    return _act(request, group_id, lambda: services.agreement_update(actor=request.user, group_id=group_id,
                                                                     agreement=request.POST.get("agreement", "")),
                _("The group agreement is updated."))


@not_found_is_404
def log(request: HttpRequest, group_id: int) -> HttpResponse:
    group, actions = selectors.moderation_log(viewer=request.user, group_id=group_id)
    return render(request, "groups/log.html", {"group": group, "actions": actions})


# ---- Worry and check-ins -----------------------------------------------------------------------


def _crisis_help(request: HttpRequest, agency) -> None:
    messages.warning(request, _("Thank you for sharing this. If you need someone now: %(help)s")
                     % {"help": agency.crisis_resources or _("ask your advocate or a peer mentor")})


@not_found_is_404
@require_POST
def worried(request: HttpRequest, post_id: int) -> HttpResponse:
    try:
        found = services.worry(actor=request.user, post_id=post_id)
    except NotFound:
        raise
    except DomainError as error:
        messages.info(request, error.message)
        group_id = Post.objects.filter(pk=post_id).values_list("group_id", flat=True).first() if 0 < post_id < 2**63 else None
        return redirect("groups:group", group_id=group_id) if group_id else redirect("groups:list")
    messages.success(request, _("Thank you. Only the group's peer mentors see this; nobody else is told."))
    return redirect(reverse("groups:group", args=[found.post.group_id]) + f"#p{found.post_id}")


@not_found_is_404
def check_in_start(request: HttpRequest, group_id: int) -> HttpResponse:
    """A mentor writes one private check-in to the author of a post with crisis words or a worry."""
    me = services.mentor(request.user, group_id)
    post_id = id_from(request.POST.get("post_id") if request.method == "POST" else request.GET.get("post")) or 0
    post = Post.objects.filter(pk=post_id, group_id=group_id, author__isnull=False).select_related("author").first() \
        if post_id else None
    if post is None or post.author_id == me.pk:
        raise NotFound
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data["once"]):
                made = services.check_in_start(actor=request.user, group_id=group_id, post_id=post.pk,
                                               body=form.cleaned_data["body"])
        except NotFound:
            raise
        except AlreadyDone:
            return redirect("groups:moderation", group_id=group_id)
        except (NotAllowed, Conflict) as error:
            messages.info(request, error.message)
            return redirect("groups:moderation", group_id=group_id)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Sent. Only %(alias)s can read it, unless they let the group's other peer mentors read it too.")
                             % {"alias": post.alias})
            return redirect("groups:check_in", group_id=group_id, check_in_id=made.pk)
    return render(request, "groups/check_in_start.html", {"group": me.group, "me": me, "post": post, "form": form})


def _check_in_page(request: HttpRequest, group_id: int, check_in_id: int, *, form=None, status=200) -> HttpResponse:
    found, role, shown = selectors.check_in(viewer=request.user, group_id=group_id, check_in_id=check_in_id)
    return render(request, "groups/check_in.html", {
        "group": found.group, "check_in": found, "role": role, "shown": shown, "open": found.is_open(),
        "newest": shown[-1].pk if shown else 0, "form": form or CheckInForm(),
    }, status=status)


@not_found_is_404
def check_in(request: HttpRequest, group_id: int, check_in_id: int) -> HttpResponse:
    if request.method != "POST":
        return _check_in_page(request, group_id, check_in_id)
    if request.POST.get("check") == "1":  # "Check for new messages" without JavaScript: writes nothing
        selectors.check_in(viewer=request.user, group_id=group_id, check_in_id=check_in_id)
        return redirect(reverse("groups:check_in", args=[group_id, check_in_id]) + "#last")
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data["once"]):
                sent = services.check_in_reply(actor=request.user, group_id=group_id, check_in_id=check_in_id,
                                               body=form.cleaned_data["body"])
        except NotFound:
            raise
        except AlreadyDone:
            pass
        except (NotAllowed, Conflict) as error:
            messages.info(request, error.message)
        except DomainError as error:
            show_error(form, error)
            return _check_in_page(request, group_id, check_in_id, form=form)
        else:
            if services.sounds_like_crisis(sent):
                _crisis_help(request, sent.check_in.group.agency)
        return redirect(reverse("groups:check_in", args=[group_id, check_in_id]) + "#last")
    return _check_in_page(request, group_id, check_in_id, form=form)


@not_found_is_404
def check_in_new(request: HttpRequest, group_id: int, check_in_id: int) -> HttpResponse:
    """Polling: one small query and an empty 204 when nothing is new."""
    after = id_from(request.GET.get("after")) or 0
    if not selectors.check_in_anything_new(viewer=request.user, group_id=group_id, check_in_id=check_in_id, after=after):
        return HttpResponse(status=204)
    found, role, shown = selectors.check_in(viewer=request.user, group_id=group_id, check_in_id=check_in_id)
    return render(request, "groups/check_in.html#new-messages", {
        "group": found.group, "check_in": found, "role": role, "shown": [m for m in shown if m.pk > after],
        "newest": shown[-1].pk if shown else after, "oob": True})


@not_found_is_404
@require_POST
def check_in_share(request: HttpRequest, group_id: int, check_in_id: int) -> HttpResponse:
    allow = request.POST.get("allow") == "1"
    services.check_in_share(actor=request.user, group_id=group_id, check_in_id=check_in_id, allow=allow)
    messages.success(request, _("The group's other peer mentors can read this now.") if allow
                     else _("Only you and the peer mentor who wrote can read this."))
    return redirect("groups:check_in", group_id=group_id, check_in_id=check_in_id)


@not_found_is_404
@require_POST
def check_ins_refuse(request: HttpRequest, group_id: int) -> HttpResponse:
    refused = request.POST.get("refused", "1") == "1"
    services.check_ins_refuse(actor=request.user, group_id=group_id, refused=refused)
    messages.success(request, _("Done. Peer mentors of this group cannot check in with you privately. Nobody else is told.")
                     if refused else _("Peer mentors of this group can check in with you again."))
    back = id_from(request.POST.get("check_in_id"))
    if back:
        return redirect("groups:check_in", group_id=group_id, check_in_id=back)
    return redirect("groups:group", group_id=group_id)
