"""Writes for companies, one module per entity.

- `signup`: a company signs up with its first recruiter, a colleague asks to join, the
  emailed link confirms the address; expired, unconfirmed sign-ups are purged;
- `verification`: an official verifies or rejects a company;
- `membership`: the first recruiter or an official approves or declines a join request;
- `openings`: a recruiter's openings (create, edit, submit, close, clone) and the official's review;
- `revisions`: changes to a published opening, proposed and reviewed;
- `mail`: the messages the services above send, through Celery once their transaction commits.

Each transition is claimed with a conditional UPDATE, so two people acting on the same row
at once cannot both succeed, and a transition that the current state does not allow is
refused with a `ValidationError` that says why. Services enqueue mail by task name
(`district.outbox.enqueue("companies.<service>", ...)`) and never import a tasks module.

Import from the module: `from companies.services.openings import opening_create`.
"""
