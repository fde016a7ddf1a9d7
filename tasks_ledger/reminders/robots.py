"""Posting to the departments' group robots (钉钉 / 企业微信): the same text as the inbox,
each message its own Celery task, so a robot that fails retries alone and never holds up
the inbox, the emails or another robot."""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.db import IntegrityError, transaction
from django.utils import timezone

from tasks_ledger.reminders.robot_models import RobotChannel, RobotMessage

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class RobotError(Exception):
    """The robot's server refused the message or could not be reached (retried)."""


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, then
    URL-encoded (as the `sign` query parameter)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


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
    from tasks_ledger.reminders.tasks import send_robot_message_task

    for message_id in message_ids:
        try:
            send_robot_message_task.delay(message_id)
        except Exception:  # one message's failure to queue must not stop the next
            logger.exception("robot message %s not queued", message_id)


def _request(channel: RobotChannel, text: str) -> urllib.request.Request:
    url = channel.webhook_url
    payload = {"msgtype": "text", "text": {"content": text}}
    if channel.kind == RobotChannel.Kind.DINGTALK and channel.secret:
        timestamp = int(time.time() * 1000)
        sign = dingtalk_sign(secret=channel.secret, timestamp_ms=timestamp)
        url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={sign}"
    return urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )


def robot_message_send(*, message_id: int) -> bool:
    """Post one message, at most once: claimed with a conditional update (sent_at NULL →
    now); on failure the claim is released, the error kept and RobotError raised for the
    task to retry. Both robots answer HTTP 200 with {"errcode": 0} when they took it."""
    claimed = RobotMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    message = RobotMessage.objects.select_related("channel").get(pk=message_id)
    try:
        with urllib.request.urlopen(
            _request(message.channel, message.text), timeout=TIMEOUT_SECONDS
        ) as response:
            answer = json.loads(response.read() or b"{}")
        if answer.get("errcode", 0) != 0:
            raise RobotError(f"{answer.get('errcode')}: {answer.get('errmsg', '')}")
    except (OSError, ValueError, RobotError) as exc:
        RobotMessage.objects.filter(pk=message_id).update(sent_at=None, last_error=str(exc)[:500])
        raise RobotError(str(exc)) from exc
    RobotMessage.objects.filter(pk=message_id).update(last_error="")
    return True
