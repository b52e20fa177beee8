"""The wiring: settings, URLs, the Celery app, WSGI and ASGI. Above every app; no app imports it.

`celery -A config worker` finds the Celery app here.
"""

from config.celery import app as celery_app

__all__ = ["celery_app"]
