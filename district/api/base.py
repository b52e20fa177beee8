"""Base viewsets that fail closed (STYLE.md §6).

Every list or detail the API serves comes from a selector. `ScopedViewSet.get_queryset`
calls the class's `selector` with the requesting user, so the same access rule serves
the pages, the API and the tasks. A subclass that sets no selector, or that sets a
`queryset` attribute (which would bypass the selector), is refused when the class is
defined, so the mistake cannot reach a running server.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets

from district.api.filtering import StrictFilterBackend
from district.api.pagination import StandardPagination
from district.api.permissions import PublicReadOnly, SecondFactorVerified, TokenReadOnly


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose rows come from `selector(user=request.user)`.

    Subclasses set `selector` (a function taking `user` and `filters`), `serializer_class`
    and usually `filterset_class`. Dashboard tokens may read a subclass only if it sets
    `token_readable = True`.
    """

    abstract = True
    selector = None
    token_readable = False
    pagination_class = StandardPagination
    filter_backends = [StrictFilterBackend]
    # Any id up to the next slash reaches get_object, which answers a JSON 404 for "0.5" or "abc";
    # DRF's default stops at a dot (for format suffixes we do not use), leaving Django's HTML 404.
    lookup_value_regex = "[^/]+"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        if cls.queryset is not None:
            raise ImproperlyConfigured(
                f"{cls.__name__} sets `queryset`; scoped viewsets read through `selector` only."
            )
        if not callable(cls.selector):
            raise ImproperlyConfigured(
                f"{cls.__name__} must set `selector`, the function that scopes its rows."
            )

    def call_selector(self):
        return type(self).selector(user=self.request.user)

    def get_queryset(self):
        selector = type(self).selector
        if not callable(selector):  # set to None after class creation: still refuse
            raise ImproperlyConfigured(f"{type(self).__name__} has no selector.")
        return self.call_selector()

    def get_permissions(self):
        # TokenReadOnly and SecondFactorVerified are default permissions; a subclass that
        # replaces the permission classes (IsOfficial, PublicReadOnly) keeps them anyway.
        permissions = super().get_permissions()
        for kept in (TokenReadOnly, SecondFactorVerified):
            if not any(isinstance(p, kept) for p in permissions):
                permissions.append(kept())
        return permissions


class PublicReadOnlyViewSet(ScopedViewSet):
    """A viewset anyone may read. Only the resources listed in the public allow-list derive from it.

    `selector` is the public selector the pages call too (for example
    `companies.selectors.public.opening_list_public`), so the page and the API show the
    same rows. `selector_kwargs` may ask the selector to load more related rows for the
    serializer; never to widen what is public.

    Each district's site serves its own rows (issue 16): `district_lookup` is the path from
    the model to its district ("district", "school__district", …), and the rows are those of
    `request.district`, so another district's row answers 404 on this host. A resource shared
    by every district (the national certification registry) says so with `national = True`; a
    subclass that sets neither is refused when the class is defined.
    """

    abstract = True
    permission_classes = [PublicReadOnly]
    token_readable = True
    selector_kwargs: dict = {}
    district_lookup: str | None = None
    national = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract", False) and not cls.national and not cls.district_lookup:
            raise ImproperlyConfigured(
                f"{cls.__name__} must set `district_lookup` (or `national = True` for a national registry)."
            )

    def call_selector(self):
        rows = type(self).selector(**self.selector_kwargs)
        if self.national:
            return rows
        district = getattr(self.request, "district", None)
        if district is None:  # no district exists at all: nothing is public yet
            return rows.none()
        return rows.filter(**{self.district_lookup: district})
