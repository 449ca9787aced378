"""Every schema in the API document has its own name. Two with one name share one entry, so
the document described the answer to a suggestion with the council's answer fields, and the
group join with the account join (found in session 4)."""

from collections import Counter

from ninja import Schema


def _all(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all(sub)


def test_no_two_api_schemas_share_a_name():
    import survivor_portal.api  # noqa: F401 - loads every router and its schemas

    ours = {cls for cls in _all(Schema) if cls.__module__.startswith(("survivor_portal", "peer_support"))}
    names = Counter(cls.__name__ for cls in ours)
    assert [name for name, count in names.items() if count > 1] == []


def test_each_request_body_is_its_own():
    from survivor_portal.api import api

    bodies = api.get_openapi_schema()["components"]["schemas"]
    assert set(bodies["SuggestionAnswerIn"]["properties"]) == {"take", "text"}
    assert set(bodies["ProposalAnswerIn"]["properties"]) == {"answer", "reasons"}
