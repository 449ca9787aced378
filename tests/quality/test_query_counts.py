"""Each main page costs the same number of queries with 1 item and with 200 (bench/queries.py)."""

import pytest

from bench import queries


@pytest.mark.django_db
@pytest.mark.parametrize("page, items, make", queries.PAGES, ids=[page for page, _i, _m in queries.PAGES])
def test_queries_do_not_grow_with_the_data(page, items, make):
    one, many = (queries.count(make, n) for n in queries.SIZES)
    assert one == many, f"{page}: {one} queries with 1 {items}, {many} with 200"
