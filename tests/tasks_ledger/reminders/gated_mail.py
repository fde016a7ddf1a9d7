"""An email backend for the end-to-end tests, used by a real worker process: Django's file
backend, except that each send first leaves a `sending-*` mark beside the gate file and
then waits while the gate file exists. A test can so hold a worker in the middle of a
send, and kill it there."""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        gate = Path(os.environ["MAIL_GATE"])
        (gate.parent / f"sending-{os.getpid()}-{time.monotonic_ns()}").touch()
        while gate.exists():
            time.sleep(0.1)
        return super().send_messages(email_messages)
