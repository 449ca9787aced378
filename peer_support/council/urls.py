from django.urls import path

from peer_support.council import views

app_name = "council"
urlpatterns = [
    path("council", views.council, name="council"),
    path("council/ideas", views.ideas, name="ideas"),
    path("council/members", views.member_make, name="member_make"),
    path("council/members/<int:user_id>/stop", views.member_stop, name="member_stop"),
    path("council/inbox", views.inbox, name="inbox"),
    path("council/ideas/<int:idea_id>/set-aside", views.set_aside, name="set_aside"),
    path("council/proposals/new", views.proposal_new, name="proposal_new"),
    path("council/proposals/<int:proposal_id>", views.proposal, name="proposal"),
    path("council/proposals/<int:proposal_id>/edit", views.proposal_edit, name="proposal_edit"),
    path("council/proposals/<int:proposal_id>/open", views.open_discussion, name="open"),
    path("council/proposals/<int:proposal_id>/withdraw", views.withdraw, name="withdraw"),
    path("council/proposals/<int:proposal_id>/comment", views.comment, name="comment"),
    path("council/proposals/<int:proposal_id>/voting", views.open_voting, name="open_voting"),
    path("council/proposals/<int:proposal_id>/vote", views.vote, name="vote"),
    path("council/proposals/<int:proposal_id>/answer", views.answer, name="answer"),
    path("council/proposals/<int:proposal_id>/update", views.update, name="update"),
    path("what-changed", views.changes, name="changes"),
]
