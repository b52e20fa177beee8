"""Reads for schools, one module per entity or topic.

- `schools`: schools, their staff's addresses, and `get_or_404` (out of scope answers 404);
- `students`: the roster, a student's page, the API's `/students/`, `student_for_user`;
- `roster`: what the roster's import and export read;
- `invitations`: the invitation a link's token belongs to;
- `curriculum`: departments and course units;
- `training`: teachers and their training;
- `practice`: field practice, its diary and incidents, and who to tell about one.

Every selector is scoped by who asks, through `district.access`. Import from the module:
`from schools.selectors.students import student_for_user`.
"""
