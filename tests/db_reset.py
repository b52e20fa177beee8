"""A cheaper end for transactional tests (live server, real workers, races) on PostgreSQL.

Django ends each `TransactionTestCase` (pytest-django's `transactional_db`, and every test
that uses `live_server`) with `manage.py flush`: a TRUNCATE of every table, then the
post_migrate signal, which writes every content type and permission back. That took 2 to 4
seconds a test on the 2-core machine, and most of it rewrote rows nobody had touched.

`truncate_what_was_written` does the same job for what the test did: it finds the tables
that have any row, except the content types and permissions that migrate wrote, and
truncates those (CASCADE also empties any table that refers to them). The database ends
exactly as flush leaves it: the model tables empty, the content types and permissions as
post_migrate writes them, sequences not reset. If a test changed the content types or
permissions themselves, or on another engine, Django's own flush runs instead.
"""

from __future__ import annotations

from django.db import connections
from django.test import TransactionTestCase

# Written by post_migrate when the test database is created; flush would write them back unchanged.
KEPT_TABLES = ("django_content_type", "auth_permission")


def _kept_state(connection) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT count(*), coalesce(max(id), 0), coalesce(sum(hashtext(t::text)), 0) FROM {table} t"
                for table in KEPT_TABLES
            )
        )
        return cursor.fetchall()


def _truncate_written(connection) -> None:
    quote = connection.ops.quote_name
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in KEPT_TABLES
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"(SELECT %s FROM {quote(table)} LIMIT 1)" for table in tables), tables
        )
        written = [row[0] for row in cursor.fetchall()]
        if written:
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in written)} CASCADE")


_django_fixture_setup = TransactionTestCase._fixture_setup.__func__
_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _cheap_case(case) -> bool:
    return (
        case.available_apps is None
        and not case.serialized_rollback
        and list(case._databases_names(include_mirrors=False)) == ["default"]
        and connections["default"].vendor == "postgresql"
    )


@classmethod
def _fixture_setup(cls):
    """TransactionTestCase's setup (TestCase has its own), noting the state of the kept tables."""
    _django_fixture_setup(cls)
    cls._kept_state_before = _kept_state(connections["default"]) if _cheap_case(cls) else None


def _fixture_teardown(self):
    if not _cheap_case(self) or getattr(self, "_kept_state_before", None) is None:
        return _django_fixture_teardown(self)
    connection = connections["default"]
    if _kept_state(connection) != self._kept_state_before:
        return _django_fixture_teardown(self)  # the test changed them: flush writes them back
    _truncate_written(connection)


def install() -> None:
    """Replace TransactionTestCase's flush for the test session (tests/conftest.py calls this)."""
    TransactionTestCase._fixture_setup = _fixture_setup
    TransactionTestCase._fixture_teardown = _fixture_teardown
