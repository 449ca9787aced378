"""The council as pages. Rules live in services and selectors."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peer_support.council import selectors, services
from peer_support.council.api import decision_rule
from peer_support.council.forms import (
    AnswerForm,
    CommentForm,
    IdeaForm,
    ProposalEditForm,
    ProposalForm,
    SetAsideForm,
    UpdateForm,
    VoteForm,
    VotingForm,
)
from peer_support.council.models import Proposal
from survivor_portal.errors import DomainError, NotAllowed, NotFound
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal import times
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, not_found_is_404, show_error, version_sent
from survivor_portal.write_limits import TooFast


@not_found_is_404
def council(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposals_for(viewer=request.user)
    groups = [
        (_("Drafts"), [p for p in proposals if p.status == Proposal.Status.DRAFT]),
        (_("In discussion"), [p for p in proposals if p.status == Proposal.Status.DISCUSSION]),
        (_("Voting"), [p for p in proposals if p.status == Proposal.Status.VOTING]),
        (_("Decided"), [p for p in proposals if p.status in (Proposal.Status.PASSED, Proposal.Status.NOT_PASSED)]),
        (_("Withdrawn"), [p for p in proposals if p.status == Proposal.Status.WITHDRAWN]),
    ]
    rows = [(label, [(p, p.is_overdue(hasattr(p, "response"))) for p in items]) for label, items in groups if items]
    waiting = sum(1 for idea in selectors.ideas_inbox(viewer=request.user) if idea.status == "new") \
        if services.is_member(request.user) else 0
    members = selectors.council_members(viewer=request.user) if services.is_admin(request.user) else None
    return render(request, "council/council.html", {"groups": rows, "ideas_waiting": waiting, "members": members})


def _member_change(request: HttpRequest, act, done) -> HttpResponse:
    if not services.is_admin(request.user):
        raise NotFound
    try:
        person = act()
    except NotFound:
        raise
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, done % {"name": person.display_name})
    return redirect("council:council")


@not_found_is_404
@require_POST
def member_make(request: HttpRequest) -> HttpResponse:
    return _member_change(request, lambda: services.council_member_make(actor=request.user, username=request.POST.get("username", "")),
                          _("%(name)s is now on the council."))


@not_found_is_404
@require_POST
def member_stop(request: HttpRequest, user_id: int) -> HttpResponse:
    return _member_change(request, lambda: services.council_member_stop(actor=request.user, user_id=user_id),
                          _("%(name)s is no longer on the council. What they wrote and voted stays."))


@not_found_is_404
def ideas(request: HttpRequest) -> HttpResponse:
    """Any survivor: send the council an idea, and see what became of hers."""
    mine = selectors.my_ideas(viewer=request.user)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data.pop("once")):
                services.idea_send(actor=request.user, **form.cleaned_data)
        except NotFound:
            raise
        except DomainError as error:
            show_error(form, error)
        except AlreadyDone:
            return redirect("council:ideas")  # a double tap: the first one sent it
        else:
            messages.success(request, _("Sent to the survivor council. Thank you."))
            return redirect("council:ideas")
    return render(request, "council/ideas.html", {"form": form, "mine": mine})


@not_found_is_404
def inbox(request: HttpRequest) -> HttpResponse:
    found = selectors.ideas_inbox(viewer=request.user)
    rows = [{"idea": idea, "sender": selectors.sender_label(idea)} for idea in found]
    return render(request, "council/inbox.html", {"rows": rows, "set_aside_form": SetAsideForm()})


@not_found_is_404
@require_POST
def set_aside(request: HttpRequest, idea_id: int) -> HttpResponse:
    if not services.is_member(request.user):
        raise NotFound
    form = SetAsideForm(request.POST)
    if form.is_valid():
        services.idea_set_aside(actor=request.user, idea_id=idea_id, note=form.cleaned_data["note"])
        messages.success(request, _("Noted. The sender will see your note."))
    else:
        messages.error(request, _("Write a short note for the sender."))
    return redirect("council:inbox")


@not_found_is_404
def proposal_new(request: HttpRequest) -> HttpResponse:
    if not services.is_member(request.user):
        raise NotFound
    asked = request.GET.get("idea") or request.POST.get("idea") or ""
    idea = None
    if asked.isascii() and asked.isdigit() and len(asked) < 19:
        idea = selectors.open_idea(viewer=request.user, idea_id=int(asked))
        if idea is None:
            messages.error(request, _("That idea was already taken forward or set aside."))
            return redirect("council:inbox")
    form = ProposalForm(request.POST or None, initial={"problem": idea.text} if idea else None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data.pop("once")):
                proposal = services.proposal_create(actor=request.user, idea_id=idea.pk if idea else None,
                                                    open_now=request.POST.get("open_now") == "1", **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        except AlreadyDone:
            return redirect("council:council")  # a double tap: the first one saved it
        else:
            messages.success(request, _("Saved."))
            return redirect("council:proposal", proposal_id=proposal.pk)
    return render(request, "council/proposal_form.html", {"form": form, "idea": idea})


@not_found_is_404
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _proposal_page(request, proposal_id)


def _proposal_page(request: HttpRequest, proposal_id: int, **kept_forms) -> HttpResponse:
    """The proposal and its forms; a refused form comes back in `kept_forms`, with her words."""
    detail = selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id)
    p = detail.proposal
    mine = p.author_id == request.user.pk
    member = services.is_member(request.user)
    admin = services.is_admin(request.user)
    voting_form = VotingForm(initial={"closes_on": times.today_in(p.agency) + timedelta(days=7)})
    vote_form = VoteForm(initial={"choice": detail.my_vote.choice, "reason": detail.my_vote.reason} if detail.my_vote else None)
    return render(request, "council/proposal.html", {
        "d": detail, "p": p, "mine": mine, "member": member, "admin": admin, "rule": decision_rule(),
        "overdue": p.is_overdue(detail.response is not None), "comment_form": CommentForm(),
        "voting_form": voting_form, "vote_form": vote_form, "answer_form": AnswerForm(), "update_form": UpdateForm(),
        "can_revise": mine and p.status in ("draft", "discussion"), "voted_now": sum(detail.votes_now.values()),
        "can_comment": member and p.status in ("discussion", "voting"),
        **kept_forms,
    })


def _proposal_now(proposal: Proposal) -> dict:
    return {**{f: getattr(proposal, f) for f in services.TEXT_FIELDS}, "version": proposal.version}


@not_found_is_404
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    p = selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id).proposal
    if p.author_id != request.user.pk:
        raise NotFound
    if p.status not in (Proposal.Status.DRAFT, Proposal.Status.DISCUSSION):
        return redirect("council:proposal", proposal_id=p.pk)
    form = ProposalEditForm(request.POST or None, initial=_proposal_now(p))
    if request.method == "POST" and form.is_valid():
        text = {f: form.cleaned_data[f] for f in services.TEXT_FIELDS}
        try:
            services.proposal_revise(actor=request.user, proposal_id=p.pk, version=version_sent(form), **text)
        except Stale:
            fresh = selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id).proposal
            here = reverse("council:proposal_edit", args=[p.pk])
            return conflict_page(request, form=form, saved=_proposal_now(fresh), action=here,
                                 back=reverse("council:proposal", args=[p.pk]))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved. The earlier text is kept in the history."))
            return redirect("council:proposal", proposal_id=p.pk)
    return render(request, "council/proposal_form.html", {"form": form, "proposal": p})


def _step(request: HttpRequest, proposal_id: int, form_class, act, done: str, form_name: str = "") -> HttpResponse:
    """One action on a proposal: its form, its service, a message, back to the proposal. Sent
    too fast, the proposal page comes back with her words in the form (`form_name`) and why."""
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id)  # 404 for the wrong person
        messages.error(request, error)
        return redirect("council:proposal", proposal_id=proposal_id)
    try:
        act(**(form.cleaned_data if form is not None else {}))
    except NotFound:
        raise
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except TooFast as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("council:proposal", proposal_id=proposal_id)
        show_error(form, error)
        return _proposal_page(request, proposal_id, **{form_name: form})
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("council:proposal", proposal_id=proposal_id)


@not_found_is_404
@require_POST
def open_discussion(request, proposal_id):
    return _step(request, proposal_id, None, lambda: services.proposal_open(actor=request.user, proposal_id=proposal_id),
                 _("Open for discussion. Council members can now read and comment."))


@not_found_is_404
@require_POST
def withdraw(request, proposal_id):
    return _step(request, proposal_id, None, lambda: services.proposal_withdraw(actor=request.user, proposal_id=proposal_id),
                 _("Withdrawn. It stays in the record as withdrawn."))


@not_found_is_404
@require_POST
def comment(request, proposal_id):
    return _step(request, proposal_id, CommentForm,
                 lambda body: services.comment_add(actor=request.user, proposal_id=proposal_id, body=body), _("Comment added."), "comment_form")


@not_found_is_404
@require_POST
def open_voting(request, proposal_id):
    return _step(request, proposal_id, VotingForm,
                 lambda closes_on: services.voting_open(actor=request.user, proposal_id=proposal_id, closes_on=closes_on),
                 _("Voting is open."))


@not_found_is_404
@require_POST
def vote(request, proposal_id):
    return _step(request, proposal_id, VoteForm,
                 lambda choice, reason: services.vote_cast(actor=request.user, proposal_id=proposal_id, choice=choice, reason=reason),
                 _("Your vote is saved. You can change it until voting closes."), "vote_form")


@not_found_is_404
@require_POST
def answer(request, proposal_id):
    return _step(request, proposal_id, AnswerForm,
                 lambda answer, reasons: services.answer_record(actor=request.user, proposal_id=proposal_id, answer=answer, reasons=reasons),
                 _("The agency's answer is recorded. Survivors can read it on “What changed”."), "answer_form")


@not_found_is_404
@require_POST
def update(request, proposal_id):
    return _step(request, proposal_id, UpdateForm,
                 lambda text, done: services.update_add(actor=request.user, proposal_id=proposal_id, text=text, done=done),
                 _("Progress update added."), "update_form")


@not_found_is_404
def changes(request: HttpRequest) -> HttpResponse:
    found = selectors.changes_for(viewer=request.user)
    rows = [(p, getattr(p, "response", None), p.is_overdue(hasattr(p, "response"))) for p in found]
    return render(request, "council/changes.html", {"rows": rows})
