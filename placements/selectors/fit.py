"""The school-verified facts behind a fit, in words: one wording for the run page and the suggestions.

The facts come from `placements.matching.explain.fit_explanation` (stored in
`Match.explanation` and `Suggestion.reason`): the required certifications the school has
checked and the completed NCS units of the opening's job role, the only facts about the
student themselves that the fit score reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

# How many NCS unit names a line gives before "and N more".
UNITS_NAMED = 1


def name_list(names: Sequence[str], *, named: int = UNITS_NAMED) -> str:
    """The first `named` names, then "and N more": "이차전지 전극 공정 관리 외 2"."""
    names = list(names)
    if len(names) <= named:
        return ", ".join(names)
    return _("%(names)s and %(count)s more") % {
        "names": ", ".join(names[:named]),
        "count": len(names) - named,
    }


def verified_fact_parts(facts: Mapping[str, Any]) -> list[str]:
    """ "학교 확인 자격증: 전기기능사" and "직무 관련 NCS 이수: … 외 2", for the facts that scored.

    Explanations stored before these facts existed have neither key and give nothing.
    """
    parts = []
    certifications = facts.get("verified_certifications") or []
    if certifications:
        parts.append(
            _("School-checked certifications: %(certifications)s")
            % {"certifications": ", ".join(certifications)}
        )
    units = facts.get("ncs_units") or []
    if units:
        parts.append(_("NCS units completed for this job: %(units)s") % {"units": name_list(units)})
    return parts
