"""Pure-Python matching engine for placements (no Django imports).

``deferred_acceptance(student_prefs, opening_prefs, capacities)`` returns the student-optimal
stable matching ``{student: opening}``; see :mod:`placements.matching.engine`.
"""

from placements.matching.engine import deferred_acceptance

__all__ = ["deferred_acceptance"]
