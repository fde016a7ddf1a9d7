"""Messages for the departments' group robots (钉钉 / 企业微信): the same text as the inbox,
each message its own Celery task, so a robot that fails retries alone and never holds up
the inbox, the emails or another robot. The task posts it through `sending.py`."""

import logging

from django.db import IntegrityError, transaction

from tasks_ledger.reminders.robot_models import RobotChannel, RobotMessage
from tasks_ledger.reminders.sending_tasks import send_robot_message_task

logger = logging.getLogger(__name__)


def robot_messages_create(*, departments, key: str, text: str) -> list[int]:
    """A message for every active robot of `departments`, once per (robot, key); each
    queued after commit. Returns the new messages' ids."""
    new = []
    channels = RobotChannel.objects.filter(department__in=list(departments), active=True)
    with transaction.atomic():
        for channel in channels:
            try:
                with transaction.atomic():  # a duplicate rolls back only its own insert
                    new.append(RobotMessage.objects.create(channel=channel, key=key, text=text).id)
            except IntegrityError:
                continue
        if new:
            # robust: a broker that is down (or a robot failing under eager tests) must not
            # fail the step that was told, nor the callbacks queued after this one.
            transaction.on_commit(lambda: _queue(new), robust=True)
    return new


def _queue(message_ids: list[int]) -> None:
    for message_id in message_ids:
        try:
            send_robot_message_task.delay(message_id)
        except Exception:  # one message's failure to queue must not stop the next
            logger.exception("robot message %s not queued", message_id)
