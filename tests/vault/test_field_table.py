"""One table decides: every text field of every model is encrypted or listed, with a reason, as plain."""

from survivor_portal.vault import table


def test_every_text_field_is_encrypted_or_listed_as_plain_with_a_reason():
    assert table.undecided() == [], (
        "Encrypt these fields (survivor_portal/vault/fields.py) or list them in survivor_portal/vault/table.py "
        "PLAIN with a one-line reason they say nothing of anyone's words.")


def test_the_table_names_only_fields_that_exist_and_are_not_encrypted():
    fields = dict(table.text_fields())
    stale = [label for label in table.PLAIN if label not in fields]
    assert stale == []
    assert [label for label in table.PLAIN if table.is_encrypted(fields[label])] == []


def test_every_plain_entry_gives_a_one_line_reason():
    assert all(reason.strip() and "\n" not in reason for reason in table.PLAIN.values())


def test_a_new_text_field_without_an_entry_is_caught(monkeypatch):
    monkeypatch.delitem(table.PLAIN, "accounts.Agency.helps_with")
    assert table.undecided() == ["accounts.Agency.helps_with"]


def test_what_a_person_writes_is_encrypted():
    fields = dict(table.text_fields())
    for label in ["goals.Goal.title", "goals.Goal.note", "goals.Step.text", "accounts.User.display_name",
                  "groups.Post.body", "groups.Post.content_warning", "council.Idea.text", "council.Idea.council_note",
                  "council.Proposal.title", "council.Revision.change", "council.Comment.body", "council.Vote.reason",
                  "council.AgencyResponse.reasons", "council.ProgressUpdate.text", "scheduling.Appointment.note",
                  "scheduling.Appointment.phone", "scheduling.Appointment.cancel_reason", "scheduling.MeetingPrefs.code_word",
                  "scheduling.MeetingPrefs.calendar_title", "consent.ConsentGrant.purpose_note",
                  "consent.ConsentGrant.notice_text", "consent.DisclosureNotice.why", "consent.Suggestion.text",
                  "groups.Report.note", "groups.AgendaItem.text", "accounts.LoginSession.session_data"]:
        assert table.is_encrypted(fields[label]), label
