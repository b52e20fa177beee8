"""Reads for companies, one module per entity.

- `team`: the recruiter's company, its recruiters and join requests, who is emailed;
- `signups`: accounts awaiting confirmation, companies awaiting verification, expired sign-ups;
- `openings`: a recruiter's openings, their applicant counts and their changes under review.

Import from the module: `from companies.selectors.openings import opening_list`.
"""
