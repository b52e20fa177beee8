"""Pages for school staff (/school/), host companies (/practice/), students in practice (/me/practice/)
and invited students (/accounts/invite/<token>/), one module per topic:

- `common`: the role decorators and the school a staff member works on;
- `roster`: the students, their records, invitations, the roster's import and export;
- `curriculum`: departments and course units;
- `training`: teachers and their training;
- `practice`: the school's field practice pages and incident reviews;
- `diary`: the host company's and the student's practice pages (diary, incident reports);
- `invitations`: setting a password from an invitation link.

Each view parses, authorises (role by decorator, object by a `get_*_for_user` selector
that answers 404), calls one service or selector, and responds. The pages that read or
write placements (a student's page with their applications, the answers given on a
student's behalf, retention) live in `placements.views.school`, mounted in the same
"schools" namespace.
"""
