"""Building blocks of the placements admin."""

from privacy.services import record_access


class SuperuserWritesMixin:
    """Officials may look, not add, change or delete; superusers as everywhere else."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class StudentDataAccessLogMixin:
    """Write each changelist page and each record opened to the personal-data access log (PIPA).

    `access_what` names the page in the log (`admin:<model>_changelist`, `admin:<model>_change`);
    `students_of(rows)` gives the students whose data the rows are.
    """

    access_what: str = ""

    def students_of(self, rows) -> list:
        return [row.student_id for row in rows]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            record_access(
                request=request,
                students=self.students_of(changelist.result_list),
                what=f"admin:{self.access_what}_changelist",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None:
            record_access(
                request=request,
                students=self.students_of([original]),
                what=f"admin:{self.access_what}_change",
            )
        return response
