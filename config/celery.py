"""The one Celery app. Settings live in Django settings under the `CELERY_` namespace."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("sidelog")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SidelogConsumer(Consumer):
    """Celery's consumer, kept alive when Redis goes away with a task unacknowledged.

    kombu's Redis transport, asked to use a channel whose connection was lost (to put back an
    unacknowledged message as Celery 5.7 closes the lost connection, or to acknowledge a task
    that finished after it), raises AttributeError instead of a connection error. Celery
    counts that as unrecoverable and the worker stops for good; seen in `make faults` when
    Redis stopped while a worker was sending a reminder. Here it counts as what it is, a lost
    connection: the worker reconnects, and the message, unacknowledged, is handed out again
    after the visibility timeout (the tasks it runs do no harm run twice: a reminder is
    claimed before it is sent, a report's build checks its status).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        errors = self.connection_errors  # type: ignore[has-type]  # set by Consumer.__init__
        self.connection_errors = (*errors, AttributeError)

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_quietly() -> None:
                try:
                    close()
                except AttributeError:
                    logger.warning("Closing the lost broker connection failed", exc_info=True)

            connection.close = close_quietly  # type: ignore[method-assign]  # what the base calls
        super().on_connection_error_after_connected(exc)
