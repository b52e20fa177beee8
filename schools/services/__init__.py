"""Writes for schools, one module per entity or topic.

- `students`: a student's record, and closing the account of one who left;
- `roster`: importing the roster from a file (large files in a task), exporting it;
- `invitations`: inviting a student to set their password, and accepting the invitation;
- `curriculum`: departments and their reorganisations, course units;
- `training`: teachers and their training;
- `practice`: field practice, its gates, and the weekly diary;
- `incidents`: incidents during field practice and their review;
- `verification`: what the school holds on a student's profile: checked certifications, attendance.

Every service is keyword-only, runs in a transaction and refuses bad input with a
`ValidationError` whose message says exactly what is wrong. Work for Celery is enqueued
by task name (`schools.<service>`) after the transaction commits; no service imports
`schools.tasks`.

Import from the module: `from schools.services.invitations import invitation_create`.
"""
