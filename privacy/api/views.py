"""The API's base for per-student records: each read is written to the personal-data access log.

It lives in privacy, above district's `ScopedViewSet` and below the apps whose viewsets derive
from it (schools' students, placements' applications and placements).
"""

from __future__ import annotations

from district.api.base import ScopedViewSet
from privacy.models import PersonalDataAccess
from privacy.services import record_access


class AccessLoggedViewSet(ScopedViewSet):
    """A scoped viewset of per-student records, each read written to the personal-data access log (PIPA).

    One row per student of each page (one INSERT for the page) or record served, named
    `api:<access_log_name>-list` or `-detail`, as the pages log theirs. A student reading their own
    records is not logged (`record_access`). `access_log_student` is the row's attribute that holds
    the student (the selector loads it with the row), or "" when the row is the student.
    """

    abstract = True
    access_log_name = ""
    access_log_student = "student"

    def _students(self, rows):
        attribute = self.access_log_student
        return [getattr(row, attribute) for row in rows] if attribute else list(rows)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            record_access(
                request=self.request,
                students=self._students(page),
                what=f"api:{self.access_log_name}-list",
                kind=PersonalDataAccess.Kind.API,
            )
        return page

    def get_object(self):
        row = super().get_object()
        record_access(
            request=self.request,
            students=self._students([row]),
            what=f"api:{self.access_log_name}-detail",
            kind=PersonalDataAccess.Kind.API,
        )
        return row
