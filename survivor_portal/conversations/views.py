"""Messages, as pages: hers (with each agency she shares messages with) and staff's (with each
person who shares messages with their agency). Rules live in services and selectors."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from survivor_portal.conversations import polling, selectors, services
from survivor_portal.conversations.forms import KeepDaysForm, MessageForm
from survivor_portal.errors import DomainError, NotFound
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal.versions import Stale
from survivor_portal.web import id_from, not_found_is_404, show_error


@not_found_is_404
def her_list(request: HttpRequest) -> HttpResponse:
    settings = selectors.keep_days_for(viewer=request.user)
    return _her_list(request, KeepDaysForm(initial={"days": settings.keep_days, "version": settings.version}))


def _her_list(request: HttpRequest, keep_form: KeepDaysForm) -> HttpResponse:
    rows = selectors.conversations_for_her(viewer=request.user)
    return render(request, "conversations/list.html", {"rows": rows, "keep_form": keep_form})


@not_found_is_404
@require_POST
def keep_days(request: HttpRequest) -> HttpResponse:
    form = KeepDaysForm(request.POST)
    if form.is_valid():
        try:
            services.keep_days_set(actor=request.user, days=form.cleaned_data["days"],
                                   version=form.cleaned_data["version"])
        except Stale as error:
            messages.error(request, error.message)
            return redirect("conversations:list")
        except DomainError as error:
            show_error(form, error)
        else:
            days = form.cleaned_data["days"]
            messages.success(request, ngettext("Saved. Messages are kept for %(days)s day.",
                                               "Saved. Messages are kept for %(days)s days.", days) % {"days": days})
            return redirect("conversations:list")
    return _her_list(request, form)


def _thread_page(request: HttpRequest, thread: selectors.Thread, form: MessageForm | None = None) -> HttpResponse:
    if thread.conversation is not None:
        services.conversation_seen(actor=request.user, conversation=thread.conversation, upto=thread.newest)
        polling.opened(request, thread.conversation.pk)
    return render(request, "conversations/thread.html", {"thread": thread, "form": form or MessageForm()})


@not_found_is_404
def with_agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    return _thread_page(request, selectors.thread_for_her(viewer=request.user, agency_id=agency_id))


@not_found_is_404
def with_person(request: HttpRequest, survivor_id: int) -> HttpResponse:
    return _thread_page(request, selectors.thread_for_staff(viewer=request.user, survivor_id=survivor_id))


def _send(request: HttpRequest, opening: dict, back: str, reread) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            with form_once(request.user, form.cleaned_data["once"]):
                conversation = services.conversation_open(actor=request.user, **opening)
                sent = services.message_send(actor=request.user, conversation_id=conversation.pk,
                                             body=form.cleaned_data["body"])
        except NotFound:
            raise
        except AlreadyDone:
            return redirect(back)  # a double tap: the first one sent it
        except DomainError as error:
            show_error(form, error)
        else:
            if sent.crisis:
                messages.warning(request, _("Thank you for telling us. If you need someone now: %(help)s")
                                 % {"help": conversation.agency.crisis_resources or _("ask your advocate")})
            return redirect(back + f"#m{sent.pk}")
    return _thread_page(request, reread(), form)


@not_found_is_404
@require_POST
def send_to_agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    return _send(request, {"agency_id": agency_id}, reverse("conversations:with_agency", args=[agency_id]),
                 lambda: selectors.thread_for_her(viewer=request.user, agency_id=agency_id))


@not_found_is_404
@require_POST
def send_to_person(request: HttpRequest, survivor_id: int) -> HttpResponse:
    return _send(request, {"survivor_id": survivor_id}, reverse("conversations:with_person", args=[survivor_id]),
                 lambda: selectors.thread_for_staff(viewer=request.user, survivor_id=survivor_id, record=False))


@not_found_is_404
def new_messages(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Polling (X-Background): "nothing new" costs one small query, or none with Redis, and is
    given only to a session that opened this conversation's page; anything new goes through
    every rule, and a staff read of it is recorded."""
    after = id_from(request.GET.get("after")) or 0
    if polling.may_answer_quickly(request, conversation_id) and not selectors.anything_new(conversation_id, after):
        return HttpResponse(status=204)
    thread = selectors.conversation_of(viewer=request.user, conversation_id=conversation_id, after=after, via="page")
    if not thread.messages:
        return HttpResponse(status=204)
    services.conversation_seen(actor=request.user, conversation=thread.conversation, upto=thread.newest)
    return render(request, "conversations/thread.html#new-messages", {"thread": thread})


@not_found_is_404
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """"Check for new messages" without JavaScript: a POST that answers with the conversation
    again. (Asking for the very page she is on would look like a tab restored by a watcher,
    which locks the app: safety.middleware.fresh_load_lock.)"""
    if request.user.is_survivor:
        agency_id = id_from(request.POST.get("agency_id")) or 0
        selectors.thread_for_her(viewer=request.user, agency_id=agency_id)
        return redirect(reverse("conversations:with_agency", args=[agency_id]) + "#poller")
    survivor_id = id_from(request.POST.get("survivor_id")) or 0
    selectors.thread_for_staff(viewer=request.user, survivor_id=survivor_id, record=False)
    return redirect(reverse("conversations:with_person", args=[survivor_id]) + "#poller")


@not_found_is_404
def clear(request: HttpRequest, agency_id: int) -> HttpResponse:
    thread = selectors.thread_for_her(viewer=request.user, agency_id=agency_id)
    if thread.conversation is None:
        raise NotFound
    if request.method == "POST":
        services.conversation_clear(actor=request.user, conversation_id=thread.conversation.pk)
        messages.success(request, _("Deleted for you. The agency's copy goes after the time you chose."))
        return redirect("conversations:list")
    return render(request, "conversations/clear.html", {"thread": thread})


@not_found_is_404
@require_POST
def delete(request: HttpRequest, message_id: int) -> HttpResponse:
    agency_id = selectors.own_message_agency(viewer=request.user, message_id=message_id)
    services.message_delete(actor=request.user, message_id=message_id)
    messages.success(request, _("Your message was deleted, for you and for them."))
    return redirect("conversations:with_agency", agency_id=agency_id)


@not_found_is_404
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "conversations/staff_list.html", {"rows": selectors.conversations_for_staff(viewer=request.user)})
