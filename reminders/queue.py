"""The engine's one hand-over to Celery: "send reminder N now".

The tasks call the services; the services reach the send task by its name here, so neither module
imports the other. `RemindersConfig.ready()` imports `reminders.tasks`, so the task is registered in
every process (web, worker, beat) before anything is handed over.

Sends go out in bulk (docs/architecture.md#background-work): one producer, its messages buffered
in one Redis pipeline (kombu's Producer.batch) and sent a chunk at a time, one round trip per
chunk instead of one per message; still one message per reminder. Measured on the 2-core bench
machine, busy with other work (1,000 sends, best of 3): one apply_async each 1.2-1.8 s, a Celery
group 1.5-2.0 s (it publishes one by one too), one shared producer 1.0-1.9 s, the batched
producer 0.27-0.43 s; then, in a busier run, apply_async into the batch (its argument repr and
queue declaration skipped) 1.5-2.6 s against 0.38-0.71 s for the messages made by Celery's AMQP
helpers with the route worked out once (Publisher). A transport without pipelines (the
filesystem broker of `make run`) publishes each message at once through the same calls.
"""

import contextlib

from celery import current_app
from kombu.utils.uuid import uuid

SEND_REMINDER = "reminders.tasks.send_reminder"
# Messages per pipeline round trip. A chunk the broker did not confirm is uncertain (some of it
# may be queued), so the caller puts its rows back for the next sweep: a message that did arrive
# as well only meets a row already being sent, or sent (services.deliver).
PUBLISH_CHUNK = 250


class Publisher:
    """send() buffers one send_reminder; flush() sends the buffer and raises if the broker did not
    take it all.

    Each message is made and routed by Celery's own AMQP helpers (app.amqp.create_task_message and
    send_task_message, what apply_async calls), the route worked out once for the batch rather
    than per message. Under CELERY_TASK_ALWAYS_EAGER, apply_async runs the task in this process.
    """

    def __init__(self, producer, batch):
        app = current_app
        self.amqp, self.task = app.amqp, app.tasks[SEND_REMINDER]
        self.eager = app.conf.task_always_eager
        self.producer, self.batch = producer, batch
        self.route = self.amqp.router.route({}, SEND_REMINDER, (), {})
        self.declared = False

    def send(self, reminder_id: int, *, priority: int) -> None:
        if self.eager:
            self.task.apply_async((reminder_id,), priority=priority)
            return
        message = self.amqp.create_task_message(
            uuid(), SEND_REMINDER, (reminder_id,), {},
            time_limit=self.task.time_limit, soft_time_limit=self.task.soft_time_limit,
            ignore_result=self.task.ignore_result, argsrepr=f"({reminder_id},)", kwargsrepr="{}",
        )
        options = {**self.route, "priority": priority, "retry": False}
        if self.declared:  # the queue is declared with the first message of a batch
            options["declare"] = []
        self.amqp.send_task_message(self.producer, SEND_REMINDER, message, **options)
        self.declared = True

    def flush(self) -> None:
        self.batch.flush()


@contextlib.contextmanager
def publisher(connection=None, connect_retries: int = 0):
    """A Publisher on `connection` (a request's own, reminders/broker.py) or one from Celery's
    pool, having tried `connect_retries` more times to reach the broker. Leaving it normally sends
    what is still buffered; leaving it by an exception discards that."""
    app = current_app
    producer_context = (
        contextlib.nullcontext(app.amqp.Producer(connection, auto_declare=False))
        if connection is not None
        else app.producer_or_acquire()
    )
    with producer_context as producer:
        if connect_retries:
            producer.connection.ensure_connection(max_retries=connect_retries, interval_start=0.2)
        with producer.batch(max_size=PUBLISH_CHUNK * 4) as batch:
            yield Publisher(producer, batch)

