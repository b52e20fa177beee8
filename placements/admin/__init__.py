"""The placements admin, one module per group of models (Django imports this package).

- `runs`: pathways, matching rounds, preferences, runs and matches;
- `applications`: applications (with their history) and placements;
- `students`: the students' own rows (notifications, saved searches, suggested openings),
  read-only for officials and written to the personal-data access log.
"""

from placements.admin import applications, runs, students

__all__ = ["applications", "runs", "students"]
