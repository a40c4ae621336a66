"""A real OpenID provider for the tests (a plugin of tests/conftest.py): panva's
oidc-provider, an OpenID-certified implementation from npm (package.json's devDependencies,
installed by `make setup`), run by tests/oidc/provider.mjs on 127.0.0.1 with a signing key
made here, the app's client and the test accounts below.

``oidc_provider`` starts it once per session (per xdist worker) and waits for its discovery
document. It knows the private key, so a test can forge an ID token that the provider's own
keys verify (an expired one, one for another audience); ``forge(..., key=other_key())``
signs with a key the provider never published.
"""

from __future__ import annotations

import json
import secrets
import select
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
CLIENT_ID = "shortlist-tests"
PASSWORD = "correct-horse-battery"
KENT = "kent.example.gov.uk"

#: login -> the claims the provider gives (every account's password is PASSWORD)
ACCOUNTS: dict[str, dict[str, Any]] = {
    "ada": {"email": f"ada.lovelace@{KENT}", "email_verified": True, "name": "Ada Lovelace",
            "groups": ["shortlist-hr", "all-staff"]},
    "ben": {"email": f"ben.okri@{KENT}", "email_verified": True, "name": "Ben Okri", "groups": ["all-staff"]},
    "cat": {"email": f"Cat.Jones@{KENT}", "email_verified": True, "given_name": "Cat", "family_name": "Jones",
            "groups": ["shortlist-managers"]},
    "una": {"email": f"una.verified@{KENT}", "email_verified": False, "name": "Una Checked"},
    "dom": {"email": "dom.outsider@elsewhere.example.com", "email_verified": True, "name": "Dom Outsider"},
}


def other_key() -> RSAKey:
    """A key the provider never published."""
    return RSAKey.generate_key(2048, parameters={"kid": "not-the-providers", "alg": "RS256", "use": "sig"})


@dataclass
class LocalProvider:
    issuer: str
    client_id: str
    client_secret: str
    key: RSAKey
    redirect_uris: list[str]
    accounts: dict[str, dict[str, Any]] = field(default_factory=lambda: ACCOUNTS)

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """An organisation's single sign-on settings for this provider."""
        return {"name": "Kent County Council", "issuer": self.issuer, "client_id": self.client_id,
                "client_secret": self.client_secret, "domains": [KENT], **overrides}

    def forge(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def sign_in(self, authorize_url: str, login: str, password: str = PASSWORD) -> str:
        """Through the provider's sign-in page as a browser would (without one): the URL it
        sends the browser back to (the app's callback, with code and state)."""
        with requests.Session() as http:
            url = authorize_url
            response = http.get(url, allow_redirects=False, timeout=10)
            for _ in range(10):
                if response.status_code == 200 and 'name="password"' in response.text:  # its sign-in page
                    response = http.post(url + "/login", data={"login": login, "password": password},
                                         allow_redirects=False, timeout=10)
                    assert response.status_code == 303, f"the provider refused {login}: {response.text[:300]}"
                assert response.status_code in (302, 303), f"{url}: {response.status_code} {response.text[:300]}"
                url = urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url  # back to the app
                response = http.get(url, allow_redirects=False, timeout=10)
            raise AssertionError("the provider did not send the browser back")


def callback_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def start_provider(tmp: Path, redirect_uris: list[str], post_logout_uris: list[str]) -> tuple[subprocess.Popen[bytes], LocalProvider]:
    key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "alg": "RS256", "use": "sig"},
                              private=True)
    secret = secrets.token_urlsafe(24)
    config = {
        "port": 0,
        "jwks": {"keys": [key.as_dict(private=True)]},
        "clients": [{"client_id": CLIENT_ID, "client_secret": secret, "redirect_uris": redirect_uris,
                     "post_logout_redirect_uris": post_logout_uris}],
        "accounts": {login: {"password": PASSWORD, "claims": claims} for login, claims in ACCOUNTS.items()},
    }
    path = tmp / "oidc-provider.json"
    path.write_text(json.dumps(config))
    with open(tmp / "oidc-provider.log", "wb") as log:  # the child keeps its own copy of the handle
        process = subprocess.Popen(["node", str(SCRIPT), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=log, cwd=HERE.parent.parent)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 90)  # a loaded CI machine: node can be slow to start
    line = process.stdout.readline() if ready else b""
    if not line:
        stop_provider(process)
        told = (tmp / "oidc-provider.log").read_text()[-2000:]
        raise RuntimeError(f"the OpenID provider did not start (exit {process.poll()}): {told}")
    issuer = json.loads(line)["issuer"]
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=5) as answer:
                assert json.load(answer)["issuer"] == issuer
            break
        except OSError:
            if time.monotonic() > deadline:
                stop_provider(process)
                raise
            time.sleep(0.1)
    return process, LocalProvider(issuer=issuer, client_id=CLIENT_ID, client_secret=secret, key=key,
                                 redirect_uris=redirect_uris)


def stop_provider(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()


@pytest.fixture(scope="session")
def oidc_app_urls() -> list[str]:
    """Where the app under test is served: the test client's http://localhost (the browser
    tests' conftest adds the live server)."""
    return ["http://localhost"]


@pytest.fixture(scope="session")
def oidc_provider(oidc_app_urls: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProvider]:
    process, provider = start_provider(
        tmp_path_factory.mktemp("oidc"),
        [f"{base}/sign-in/sso/callback" for base in oidc_app_urls],
        [f"{base}/sign-in" for base in oidc_app_urls],
    )
    try:
        yield provider
    finally:
        stop_provider(process)
