"""The Celery application. Settings come from Django's, under the CELERY_ prefix.

Every task is a `DistrictTask` (`district.taskbase`, the app's task class, so
`@shared_task` needs no `base=`); the task class and its retry policies live there, not here.

Delivery guarantees (settings, "Redis, cache and Celery"): messages are acknowledged after
the task ends (`acks_late`) and returned to the queue when the worker process dies
(`reject_on_worker_lost`); the broker's visibility timeout exceeds every task's hard time
limit. A task may therefore run twice, and every task is written to be safe when it does.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from district.taskbase import DistrictTask

app = Celery("config", task_cls=DistrictTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
