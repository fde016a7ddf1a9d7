"""Delivering what the reminders queued: the emails of the inbox's deliveries (one at a
time, and the outbox sweep) and the posts to the departments' group robots (钉钉 / 企业微信).
Called only by the Celery tasks (tasks.py), which the services and robots.py queue."""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from tasks_ledger.reminders.models import SentReminder
from tasks_ledger.reminders.robot_models import RobotChannel, RobotMessage

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# The sweep leaves a robot message this long to its own queued task before posting it.
SWEEP_AFTER = datetime.timedelta(minutes=2)


def _claimable(now):
    """Unsent deliveries nobody is sending: never claimed, or claimed by a worker so long
    ago (REMINDER_EMAIL_CLAIM_SECONDS) that it must have died mid-send."""
    expired = now - datetime.timedelta(seconds=settings.REMINDER_EMAIL_CLAIM_SECONDS)
    return SentReminder.objects.filter(emailed_at__isnull=True).filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=expired)
    )


def reminder_email_send(*, delivery_id: int) -> bool:
    """Email one delivered reminder, at most once. The row is claimed with a conditional
    update (unsent and unclaimed, or its claim expired → claimed now), so of two workers, a
    redelivered message and the sweep only one sends; `emailed_at` is set once the mail
    server took the message. If the mail server fails, the claim is released and the error
    raised for the task to retry. A worker killed between the mail server's answer and the
    update below sends that one email twice (after the claim expires): at least once,
    never lost, is the promise."""
    now = timezone.now()
    claimed = _claimable(now).filter(pk=delivery_id).update(email_claimed_at=now)
    if not claimed:
        return False
    delivery = SentReminder.objects.select_related("recipient", "notification").get(pk=delivery_id)
    note = delivery.notification
    body = note.body
    if note.link:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{note.link}"
    try:
        send_mail(
            note.subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [delivery.recipient.email],
            fail_silently=False,
        )
    except Exception:
        SentReminder.objects.filter(pk=delivery_id, email_claimed_at=now).update(
            email_claimed_at=None
        )
        raise
    SentReminder.objects.filter(pk=delivery_id).update(emailed_at=timezone.now())
    return True


def reminders_email_sweep(*, limit: int = 500) -> int:
    """Email every delivery still unsent and not being sent (the outbox sweep, run by beat
    every minute). Picks up what the broker lost or never got and what a dead worker
    left claimed. A failing mail server leaves the row for the next sweep. Returns how many
    were emailed."""
    sent = 0
    ids = list(_claimable(timezone.now()).order_by("id").values_list("id", flat=True)[:limit])
    for delivery_id in ids:
        try:
            sent += reminder_email_send(delivery_id=delivery_id)
        except Exception:
            logger.warning("email of delivery %s failed; next sweep", delivery_id, exc_info=True)
    if ids:
        logger.info("email sweep: %d of %d unsent emailed", sent, len(ids))
    return sent


class RobotError(Exception):
    """The robot's server refused the message or could not be reached (retried)."""


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, then
    URL-encoded (as the `sign` query parameter)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


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


def robot_messages_sweep(*, limit: int = 200) -> int:
    """Post every robot message never tried (its task lost with the broker, or never
    queued while the broker was down), as the email sweep does for emails. A message tried
    and refused is left to its task's retries and their backoff: sweeping it every minute
    would hammer a robot that is down. Returns how many were posted."""
    cutoff = timezone.now() - SWEEP_AFTER
    ids = list(
        RobotMessage.objects.filter(sent_at__isnull=True, last_error="", created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        try:
            sent += robot_message_send(message_id=message_id)
        except RobotError:
            logger.warning("robot message %s failed; its error is kept", message_id, exc_info=True)
    return sent
