"""Delivery backends for the outbox, chosen by MAIL_BACKEND:

- ``outbox``: nothing leaves the machine; HR reads each message on the outbox page
  (development and the demo).
- ``smtp``: the standard library's smtplib, plain, STARTTLS or SSL, with or without a login,
  for councils with their own relay.
- ``notify``: GOV.UK Notify through notifications-python-client; a Notify template id per
  kind of message (or one ``default``), the outbox id as Notify's ``reference``.

A backend either returns the provider's reference or raises `Transient` (try again later),
`Permanent` (needs a person: a refused address, a wrong key) or `Uncertain` (the connection
ended after the message was handed over, so it may have arrived: never sent again without
a person checking). Error texts name the problem and the provider's code, never the
recipient's address.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any, Protocol
from zoneinfo import ZoneInfo

EMAIL = re.compile(r"[^\s<>()\[\]@,;:\"']+@[^\s<>()\[\]@,;:\"']+")
# SMTP line ends; headers unfolded up to RFC 5322's hard limit (a subject is 200 characters at
# most), as Python's folding otherwise starts a long subject on a line of its own
MAIL_POLICY = SMTP_POLICY.clone(max_line_length=998)
ENHANCED_CODE = re.compile(rb"\b[245]\.\d{1,3}\.\d{1,3}\b")


class DeliveryError(Exception):
    def __init__(self, message: str, retry_after: timedelta | None = None,
                 retry_at: datetime | None = None) -> None:
        super().__init__(redact(message))
        self.retry_after = retry_after
        self.retry_at = retry_at  # naive UTC, as the database keeps times


class Transient(DeliveryError):
    """Not delivered, and worth trying again later (the server was busy or unreachable)."""


class Permanent(DeliveryError):
    """Not delivered, and trying again will not help until a person changes something."""


class Uncertain(DeliveryError):
    """Perhaps delivered: the connection ended after the message was handed over."""


def redact(text: str) -> str:
    """No e-mail address in an error we keep."""
    return EMAIL.sub("[address]", text)[:500]


@dataclass(frozen=True)
class Envelope:
    outbox_id: int
    kind: str
    to: str
    subject: str
    text: str
    html: str
    attempt: int
    personalisation: Mapping[str, str] = field(default_factory=dict)
    calendar: bytes | None = None


class Backend(Protocol):
    name: str

    def send(self, envelope: Envelope) -> str: ...

    def lookup(self, outbox_id: int) -> str | None:
        """The provider's reference if this message reached it already, else None. Raises
        NotImplementedError when the provider cannot say (then nobody can be sure)."""


def calendar_method(calendar: bytes) -> str:
    found = re.search(rb"^METHOD:(\w+)", calendar, re.MULTILINE)
    return found.group(1).decode() if found else "PUBLISH"


def mime_message(envelope: Envelope, sender: str, reply_to: str = "") -> EmailMessage:
    """The e-mail as sent: a plain-text and an HTML alternative, and the .ics file attached."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = envelope.to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = envelope.subject
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"outbox.{envelope.outbox_id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(envelope.text)
    message.add_alternative(envelope.html, subtype="html")
    if envelope.calendar:
        method = calendar_method(envelope.calendar)
        message.add_attachment(envelope.calendar, maintype="text", subtype="calendar",
                               filename="cancelled.ics" if method == "CANCEL" else "interview.ics",
                               params={"method": method})
    return message


class OutboxBackend:
    """Development and the demo: the message is "delivered" to the outbox page only."""

    name = "outbox"

    def send(self, envelope: Envelope) -> str:
        return f"outbox-{envelope.outbox_id}"

    def lookup(self, outbox_id: int) -> str | None:
        return None  # nothing leaves the machine: a message left half-sent can safely go again


class SMTPBackend:
    name = "smtp"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = config["SMTP_HOST"]
        self.port = int(config["SMTP_PORT"])
        self.security = config["SMTP_SECURITY"]
        self.username = config["SMTP_USERNAME"]
        self.password = config["SMTP_PASSWORD"]
        self.timeout = float(config["SMTP_TIMEOUT"])
        self.sender = config["MAIL_FROM"]
        self.reply_to = config.get("MAIL_REPLY_TO", "")
        self.context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)

    def lookup(self, outbox_id: int) -> str | None:
        raise NotImplementedError("an SMTP server cannot be asked whether it has a message")

    def send(self, envelope: Envelope) -> str:
        message = mime_message(envelope, self.sender, self.reply_to)
        data = message.as_bytes()
        data = re.sub(rb"(?m)^\.", b"..", data)  # RFC 5321 4.5.2 transparency
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        handed_over = False
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=self.context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
            code, reply = smtp.mail(parseaddr(self.sender)[1])
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, "")
            code, reply = smtp.rcpt(envelope.to)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({"": (code, reply)})
            code, reply = smtp.docmd("DATA")
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)
            handed_over = True  # from here the server may have the whole message
            smtp.send(data + b".\r\n")
            code, reply = smtp.getreply()
            handed_over = False
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass  # accepted already: a lost goodbye changes nothing
            smtp = None
        except smtplib.SMTPNotSupportedError as exc:
            raise Permanent(f"The mail server does not support what SMTP_SECURITY or the login needs ({exc})") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise Permanent(f"The mail server refused the user name or password (SMTP {exc.smtp_code})") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _by_code(code, reply, "The mail server refused the recipient's address") from exc
        except smtplib.SMTPSenderRefused as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error, "The mail server refused the sender's address "
                           "(MAIL_FROM)") from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error, "The mail server did not accept the message") from exc
        except ssl.SSLError as exc:
            raise Permanent(f"The secure connection to the mail server failed ({exc.reason or type(exc).__name__})"
                            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            if handed_over:
                raise Uncertain("The connection to the mail server ended after the message was handed over, "
                                f"before the server confirmed it ({type(exc).__name__})") from exc
            raise Transient(f"The mail server could not be reached ({type(exc).__name__})") from exc
        finally:
            if smtp is not None:
                smtp.close()  # after a failure: no QUIT, which a server mid-message would take as text
        return str(message["Message-ID"])


def _by_code(code: int, reply: bytes | str, what: str) -> DeliveryError:
    raw = reply.encode() if isinstance(reply, str) else (reply or b"")
    enhanced = ENHANCED_CODE.search(raw)
    label = f"{what} (SMTP {code}{' ' + enhanced.group(0).decode() if enhanced else ''})"
    return Transient(label) if 400 <= code < 500 else Permanent(label)


class NotifyBackend:
    name = "notify"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.api_key = config["NOTIFY_API_KEY"]
        self.base_url = config["NOTIFY_BASE_URL"]
        self.template_ids: Mapping[str, str] = config["NOTIFY_TEMPLATE_IDS"]
        self.timeout = float(config["NOTIFY_TIMEOUT"])

    def _client(self) -> Any:
        from notifications_python_client.notifications import NotificationsAPIClient

        # a client per delivery: the library's client is not thread-safe
        return NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)

    def lookup(self, outbox_id: int) -> str | None:
        from notifications_python_client.errors import HTTPError

        try:
            found = self._client().get_all_notifications(reference=str(outbox_id))
        except HTTPError as exc:
            raise _notify_error(exc) from exc
        notifications = (found or {}).get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None

    def send(self, envelope: Envelope) -> str:
        from notifications_python_client.errors import HTTPError

        template_id = self.template_ids.get(envelope.kind) or self.template_ids.get("default")
        if not template_id:
            raise Permanent(f"No GOV.UK Notify template is set for {envelope.kind} messages: add "
                            f"{envelope.kind}=<template id> (or default=<template id>) to NOTIFY_TEMPLATE_IDS")
        if envelope.attempt > 1:
            # an earlier attempt may have reached Notify before its answer was lost: ask first,
            # by the reference, so the message is never sent twice
            already = self.lookup(envelope.outbox_id)
            if already:
                return already
        personalisation = {k: str(v) for k, v in envelope.personalisation.items()}
        personalisation.update(subject=envelope.subject, body=envelope.text)
        try:
            response = self._client().send_email_notification(
                email_address=envelope.to, template_id=template_id, personalisation=personalisation,
                reference=str(envelope.outbox_id))
        except HTTPError as exc:
            raise _notify_error(exc) from exc
        return str(response["id"])


def _after_uk_midnight(now: datetime | None = None) -> datetime:
    """Five minutes past the next midnight in London (when Notify's daily limits reset), in UTC."""
    local = (now or datetime.now(UTC)).astimezone(ZoneInfo("Europe/London"))
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return tomorrow.astimezone(UTC).replace(tzinfo=None)


def _notify_error(exc: Any) -> DeliveryError:
    status = int(exc.status_code)
    detail = exc.message
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        name, text = str(first.get("error", "")), str(first.get("message", ""))
    else:
        name, text = "", str(detail)
    said = f"GOV.UK Notify answered {status}{' ' + name if name else ''}: {text}"
    if status == 429:
        if name == "TooManyRequestsError":  # the service's daily limit: it resets at midnight
            return Transient(said, retry_at=_after_uk_midnight())
        return Transient(said, retry_after=timedelta(minutes=1))
    if status == 403:
        return Permanent(f"{said}. Check NOTIFY_API_KEY and the server's clock")
    if status >= 500:
        return Transient(said if exc.response is not None else
                         "GOV.UK Notify could not be reached (no answer)")
    return Permanent(said)


def backend_for(config: Mapping[str, Any]) -> Backend:
    name = config.get("MAIL_BACKEND", "outbox")
    if name == "smtp":
        return SMTPBackend(config)
    if name == "notify":
        return NotifyBackend(config)
    return OutboxBackend()
