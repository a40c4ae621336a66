"""Real servers in the test process for the e-mail backends:

- `smtp_server`: aiosmtpd's SMTP server on a free port (plain, STARTTLS or implicit TLS,
  with or without AUTH), keeping every message it accepts, and able to refuse recipients,
  answer DATA with an error, or sit on DATA past the client's timeout (a lost confirmation).
- `notify_server`: an HTTP server that checks what GOV.UK Notify's API documentation
  requires of a client (a JWT in the Authorization header: HS256, iss = the service id,
  iat within 30 seconds, signed with the key's secret; POST /v2/notifications/email with a
  JSON body of email_address, template_id, personalisation, reference; GET
  /v2/notifications?reference=) and answers as Notify does, including its error responses
  ({"status_code": ..., "errors": [{"error": ..., "message": ...}]}).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import ssl
import subprocess
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Inbox:
    """What the server accepted, and how it is told to answer."""

    messages: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 <x@example.net>: Recipient address rejected"
    data_replies: deque[str] = field(default_factory=deque)  # answers to the next DATA commands
    stall_seconds: float = 0.0  # wait this long before confirming DATA (the message is kept)
    data_commands: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def by_outbox_id(self) -> dict[int, list[Received]]:
        found: dict[int, list[Received]] = {}
        for received in self.messages:
            match = re.search(r"\.outbox\.(\d+)@", str(received.message["Message-ID"]))
            assert match, received.message["Message-ID"]
            found.setdefault(int(match.group(1)), []).append(received)
        return found


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.inbox.rcpt_reply:
            return self.inbox.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.inbox.lock:
            self.inbox.data_commands += 1
            reply = self.inbox.data_replies.popleft() if self.inbox.data_replies else None
        if reply is not None:
            return reply
        with self.inbox.lock:
            self.inbox.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        if self.inbox.stall_seconds:
            await asyncio.sleep(self.inbox.stall_seconds)
        return "250 2.0.0 Message accepted for delivery"


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(folder: Path, name: str = "relay") -> Certificate:
    """A self-signed certificate for 127.0.0.1 (openssl; the CA file a council would configure)."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return Certificate(cert, key)


@contextmanager
def smtp_server(*, starttls: Certificate | None = None, implicit_tls: Certificate | None = None,
                login: tuple[str, str] | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if starttls:
        kwargs.update(tls_context=starttls.server_context(), require_starttls=True)
    if implicit_tls:
        kwargs.update(ssl_context=implicit_tls.server_context())
    if login:
        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == login
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

        kwargs.update(authenticator=authenticate, auth_required=True,
                      auth_require_tls=bool(starttls or implicit_tls))
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


# --------------------------------------------------------------------------- GOV.UK Notify

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"shortlist_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def notify_error(status: int, error: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


@dataclass
class FakeNotify:
    base_url: str = ""
    # template id -> the placeholders its subject and body use (Notify refuses a send without them)
    templates: dict[str, set[str]] = field(default_factory=lambda: {TEMPLATE_ID: {"subject", "body"}})
    clock_offset: float = 0.0  # seconds Notify's clock is ahead of ours
    requests: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    # the next answers to a valid send, instead of 201: (status, body), or "drop" to accept the
    # notification and close the connection without answering (an answer lost on the way back)
    answers: deque[Any] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent_to(self, reference: str) -> list[dict[str, Any]]:
        return [n for n in self.notifications if n["reference"] == reference]


def _check_token(header: str | None, now: float) -> tuple[int, dict[str, Any]] | None:
    """What Notify checks of the JWT (its API documentation, "Authorisation header")."""
    if not header or not header.startswith("Bearer "):
        return notify_error(401, "AuthError", "Unauthorized: authentication token must be provided")
    token = header[len("Bearer "):]
    try:
        head = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return notify_error(403, "AuthError", "Invalid token: signature, api token not found")
    if head.get("alg") != "HS256" or head.get("typ") != "JWT":
        return notify_error(403, "AuthError", "Invalid token: algorithm used is not HS256")
    if claims.get("iss") != SERVICE_ID:
        return notify_error(403, "AuthError", "Invalid token: service not found")
    try:
        jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    except jwt.PyJWTError:
        return notify_error(403, "AuthError", "Invalid token: signature, api token not found")
    if "iat" not in claims or abs(now - int(claims["iat"])) > 30:
        return notify_error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
    return None


class _NotifyHandler(BaseHTTPRequestHandler):
    fake: FakeNotify

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, body: Any) -> None:
        with self.fake.lock:
            self.fake.requests.append({"method": self.command, "path": self.path,
                                       "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})

    def do_GET(self) -> None:
        self._record(None)
        refused = _check_token(self.headers.get("Authorization"), time.time() + self.fake.clock_offset)
        if refused:
            self._answer(*refused)
            return
        url = urlsplit(self.path)
        if url.path != "/v2/notifications":
            self._answer(*notify_error(404, "NoResultFound", "No result found"))
            return
        reference = parse_qs(url.query).get("reference", [None])[0]
        with self.fake.lock:
            found = [n for n in self.fake.notifications if reference is None or n["reference"] == reference]
        self._answer(200, {"notifications": found, "links": {"current": f"{self.fake.base_url}{self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        self._record(body)
        refused = _check_token(self.headers.get("Authorization"), time.time() + self.fake.clock_offset)
        if refused:
            self._answer(*refused)
            return
        if self.path != "/v2/notifications/email":
            self._answer(*notify_error(404, "NoResultFound", "No result found"))
            return
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json" or not isinstance(body, dict):
            self._answer(*notify_error(400, "BadRequestError", "Invalid JSON supplied in POST data"))
            return
        for name in ("email_address", "template_id"):
            if not isinstance(body.get(name), str) or not body[name]:
                self._answer(*notify_error(400, "ValidationError", f"{name} is a required property"))
                return
        if "@" not in body["email_address"]:
            self._answer(*notify_error(400, "ValidationError", "email_address Not a valid email address"))
            return
        personalisation = body.get("personalisation") or {}
        if not isinstance(personalisation, dict) or not isinstance(body.get("reference", ""), str):
            self._answer(*notify_error(400, "ValidationError", "personalisation is not of type object"))
            return
        needed = self.fake.templates.get(body["template_id"])
        if needed is None:
            self._answer(*notify_error(400, "BadRequestError", "Template not found"))
            return
        missing = sorted(needed - personalisation.keys())
        if missing:
            self._answer(*notify_error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"))
            return
        with self.fake.lock:
            answer = self.fake.answers.popleft() if self.fake.answers else None
        if answer is not None and answer != "drop":
            self._answer(*answer)
            return
        notification = {"id": str(uuid.uuid4()), "reference": body.get("reference"), "type": "email",
                        "email_address": body["email_address"], "status": "created",
                        "template": {"id": body["template_id"], "version": 1,
                                     "uri": f"{self.fake.base_url}/v2/template/{body['template_id']}"},
                        "subject": personalisation.get("subject"), "body": personalisation.get("body")}
        with self.fake.lock:
            self.fake.notifications.append(notification)
        if answer == "drop":  # accepted, but the answer never reaches the client
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._answer(201, {
            "id": notification["id"], "reference": notification["reference"],
            "content": {"subject": notification["subject"], "body": notification["body"],
                        "from_email": "shortlist@notifications.service.gov.uk"},
            "uri": f"{self.fake.base_url}/v2/notifications/{notification['id']}",
            "template": notification["template"], "scheduled_for": None})


@contextmanager
def notify_server() -> Iterator[FakeNotify]:
    fake = FakeNotify()
    handler = type("Handler", (_NotifyHandler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
