"""The officials' dashboard page, its table downloads and the Ministry's evaluation pack; the national
comparison of every district and its pack (national officials and superusers)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboard import kpis
from dashboard.context import comparison_context, page_context
from dashboard.evaluation import download_names, evaluation_pack_sheets, national_pack_sheets
from dashboard.forms import DashboardFilterForm
from dashboard.kpis import dashboard_reach, national_reach
from dashboard.tables import TABLES
from district.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    attachment,
    client_ip,
    csv_bytes,
    export_log_record,
    xlsx_bytes,
)
from district.filters import filter_status


def _filters(request) -> DashboardFilterForm:
    """The dashboard filters of the request, within what the official may see (403 for anyone else)."""
    form = DashboardFilterForm(request.GET, reach=dashboard_reach(request.user, officials_only=True))
    form.is_valid()
    return form


@login_required
@require_GET
def dashboard(request):
    """KPI tiles, charts and tables for one district, cohort and (optionally) school."""
    form = _filters(request)
    scope, cohort = form.resolved()
    context = page_context(scope=scope, cohort=cohort, filters=form.applied())
    return render(request, "dashboard/dashboard.html", {"form": form, **context}, status=filter_status(form))


@login_required
@require_GET
def export_table(request, slug: str, fmt: str):
    """One dashboard table as CSV or XLSX; every download is logged."""
    table = TABLES.get(slug)
    if table is None:
        raise Http404
    form = _filters(request)
    if form.errors:
        return HttpResponseBadRequest(_("Check the filters: %(errors)s") % {"errors": form.errors.as_text()})
    scope, cohort = form.resolved()
    sheet = table.sheet(scope, cohort)
    content = csv_bytes(sheet) if fmt == "csv" else xlsx_bytes([sheet])
    _log(request, form, what=f"{slug}.{fmt}", fmt=fmt)
    filename, ascii_filename = download_names(slug, scope=scope, cohort=cohort, extension=fmt)
    return attachment(
        content,
        filename=filename,
        ascii_filename=ascii_filename,
        content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def evaluation_pack(request):
    """The workbook for the Ministry's annual evaluation of the district; the download is logged."""
    form = _filters(request)
    if form.errors:
        return HttpResponseBadRequest(_("Check the filters: %(errors)s") % {"errors": form.errors.as_text()})
    scope, cohort = form.resolved()
    content = xlsx_bytes(evaluation_pack_sheets(scope=scope, cohort=cohort))
    _log(request, form, what="evaluation-pack.xlsx", fmt="xlsx")
    filename, ascii_filename = download_names("evaluation", scope=scope, cohort=cohort, extension="xlsx")
    return attachment(
        content, filename=filename, ascii_filename=ascii_filename, content_type=XLSX_CONTENT_TYPE
    )


def _national_filters(request) -> DashboardFilterForm:
    """The cohort filter of the national view, over every district (403 for anyone but national
    officials and superusers). District and school filters belong to a district's own dashboard."""
    form = DashboardFilterForm(request.GET, reach=national_reach(request.user))
    form.is_valid()
    return form


@login_required
@require_GET
def districts(request):
    """Every district's headline KPIs side by side, each cell a link to that district's dashboard."""
    form = _national_filters(request)
    _scope, cohort = form.resolved()
    comparison = kpis.comparison_data(scopes=form.reach.district_scopes(), cohort=cohort)
    context = comparison_context(comparison)
    return render(request, "dashboard/districts.html", {"form": form, **context}, status=filter_status(form))


@login_required
@require_GET
def national_evaluation_pack(request):
    """Every district's evaluation pack in one workbook, a sheet each, and the comparison; logged."""
    form = _national_filters(request)
    if form.errors:
        return HttpResponseBadRequest(_("Check the filters: %(errors)s") % {"errors": form.errors.as_text()})
    _scope, cohort = form.resolved()
    content = xlsx_bytes(national_pack_sheets(scopes=form.reach.district_scopes(), cohort=cohort))
    export_log_record(
        user=request.user,
        district=None,
        what="districts/evaluation-pack.xlsx",
        format="xlsx",
        filters={"cohort": cohort},
        ip_address=client_ip(request),
    )
    name = f"evaluation-districts-{cohort}.xlsx"
    return attachment(content, filename=name, ascii_filename=name, content_type=XLSX_CONTENT_TYPE)


def _log(request, form: DashboardFilterForm, *, what: str, fmt: str) -> None:
    scope, _cohort = form.resolved()
    export_log_record(
        user=request.user,
        district=scope.district,
        what=what,
        format=fmt,
        filters=form.applied(),
        ip_address=client_ip(request),
    )
