"""The role-by-endpoint matrix: every URL rule in the app, GET and POST, for each relation
a person can have to a vacancy, and with another vacancy's objects in the URL (IDOR).

The rules come from `app.url_map`; their URL arguments are filled from the data in
tests/access_world.py by name. Every cell has its expected status in MATRIX below: a new
endpoint without a row fails `test_every_endpoint_has_a_row`, naming the row to add.

Columns (see access_world.WHO):
  anon        not signed in
  hr          an HR administrator (on no panel)
  manager     VAC-A's recruiting manager (not on its panel)
  chair       VAC-A's panel chair
  member      a member of VAC-A's panel
  adviser     an HR adviser on VAC-A's panel
  outsider    a panel member of VAC-B only
  conflicted  a member of VAC-A's panel who declared a conflict with A001, the
              application in VAC-A's URLs
  otherhr     HR of other organisations only (issue 17): HR administrator of one and HR
              adviser of another, neither VAC-A's: refused everything of VAC-A's (404), and
              HR's own pages show them their organisations' data only
  sysadmin    a system administrator: the Organisations page and the whole audit log; no
              vacancy (on no panel, HR of nothing)
  idor        VAC-A's reference with VAC-B's objects (application reference, criterion
              key, membership, hold, grant, document), as the first of manager, chair,
              member, adviser, hr whom the rule lets in for VAC-A's own objects

Cell values: an HTTP status, LOGIN (302 to the sign-in page), or NA (the rule has no
object to swap, so no IDOR cell). POSTs carry no form data (CSRF is off in the test app;
tests/test_security_sessions.py checks it with CSRF on). A refused POST must leave the
database exactly as it was (checked); after each POST that gets in, the data is put back,
so no cell depends on another.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from shortlist.services import jobs
from tests import access_world, db_snapshot
from tests.app_fixtures import empty_tables, login

LOGIN = "login"
NA = "-"
COLUMNS = ("anon", "hr", "manager", "chair", "member", "adviser", "outsider", "conflicted", "otherhr", "sysadmin",
           "idor")
DENIED = {LOGIN, 403, 404}  # LOGIN: for the anonymous column (signing out ends in it too)
IDOR_ACTORS = ("manager", "chair", "member", "adviser", "hr")

# "METHOD rule": (anon, hr, manager, chair, member, adviser, outsider, conflicted, otherhr, sysadmin, idor)
MATRIX: dict[str, tuple[Any, ...]] = {
    # Public pages, signing in and out, and anyone signed in
    "GET /": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "GET /accessibility": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    # Safer-recruitment training: a person's own (anyone signed in), anyone's for HR
    "GET /account/training": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "POST /account/training": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    # Organisations: a system administrator's page (an empty POST names the missing fields: 400)
    "GET /organisations/": (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200, NA),
    "POST /organisations/": (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 400, NA),
    # HR's Users page: the people of HR's organisations (HR of another organisation: their own
    # people's list; VAC-A's member is not found); an empty invitation names its problems (400);
    # an empty roles form changes nothing (302); deactivating the member (302); reactivating an
    # active person (302, nothing changes)
    "GET /hr/users/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/users/invite": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "POST /hr/users/invite": (LOGIN, 400, 403, 403, 403, 403, 403, 403, 400, 403, NA),
    "GET /hr/users/<int:user_id>": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404, 403, 200),
    "POST /hr/users/<int:user_id>/roles": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /hr/users/<int:user_id>/deactivate": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /hr/users/<int:user_id>/reactivate": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "GET /hr/people": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/people/<int:user_id>/training": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404, 403, 200),
    "POST /hr/people/<int:user_id>/training": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404, 403, 200),
    "GET /assets/<path:filename>": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "GET /health": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "GET /sign-in": (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "GET /vacancies": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "POST /sign-in": (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /sign-out": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, NA),
    # single sign-on (tests/test_sso.py): finding one's organisation by e-mail (an empty POST: the
    # form's error), to an organisation's provider (none is set up in this world: 404), its answer
    # (no sign-in under way: refused, 403), and the page after signing out
    "GET /sign-in/sso": (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /sign-in/sso": (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "GET /sign-in/sso/<code>": (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, NA),
    "GET /sign-in/sso/callback": (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, NA),
    "GET /signed-out": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    # the timeout warning's "Stay signed in": anyone signed in
    "POST /session/keep-alive": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    # a link to set a password works for whoever holds it (the token is the credential; the idor
    # column is VAC-B's member's link): an empty POST is refused with the form's errors
    # the second step of a password sign-in (a code, or setting two-factor up): only with a right
    # password just given (held in the session); otherwise to the sign-in page, or, signed in, onwards
    "GET /sign-in/code": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /sign-in/code": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "GET /sign-in/set-up-two-factor": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /sign-in/set-up-two-factor": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    # a person's own two-factor sign-in: anyone signed in (starting to set it up goes on to the
    # set-up page; with nothing started, the set-up page goes back; turning off needs the password)
    "GET /account/two-factor": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "POST /account/two-factor": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "GET /account/two-factor/set-up": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /account/two-factor/set-up": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302, NA),
    "POST /account/two-factor/turn-off": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    # ten new recovery codes: those with it on (HR and the member here; a refused code writes
    # nothing, tests/test_two_factor.py); anyone else goes back to the two-factor page
    "GET /account/two-factor/recovery-codes": (LOGIN, 200, 302, 302, 200, 302, 302, 302, 302, 302, NA),
    "POST /account/two-factor/recovery-codes": (LOGIN, 200, 302, 302, 200, 302, 302, 302, 302, 302, NA),
    # "Forgot your password?": anyone (an empty POST is refused with the form's error)
    "GET /forgot-password": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "POST /forgot-password": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "GET /set-password/<token>": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /set-password/<token>": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # a candidate's interview booking page: the signed link is the credential (the idor column is
    # VAC-B's candidate's link); an empty POST is refused with "Select an interview time"
    "GET /interview/<booking_token>": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /interview/<booking_token>": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /interview/<booking_token>/interview.ics": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # HR only: the audit log, reports, data protection (404 for someone with no relation to the vacancy)
    "GET /audit/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 200, NA),
    "GET /audit/export.csv": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 200, NA),
    "GET /hr/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/adverse-impact": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/adverse-impact.csv": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/calibration": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/calibration.csv": (LOGIN, 404, 403, 403, 403, 403, 403, 403, 404, 403, NA),
    "GET /hr/reports/disability-confident": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/disability-confident.csv": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/armed-forces": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/reports/armed-forces.csv": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/vacancies/<reference>": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /hr/vacancies/<reference>/applications/<application_reference>/sealed": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    # applications from another system's export (issue 18): those who manage the vacancy; an
    # upload waiting for its mapping is its uploader's only (HR's here)
    "GET /vacancies/<reference>/applications/from-export": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/applications/from-export": (LOGIN, 400, 400, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/applications/from-export/<int:draft_id>":
        (LOGIN, 200, 404, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/applications/from-export/<int:draft_id>":
        (LOGIN, 200, 404, 403, 403, 403, 404, 403, 404, 404, 404),
    # recording an applicant's withdrawal (issue 18): HR
    "GET /hr/vacancies/<reference>/applications/<application_reference>/withdrawal":
        (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /hr/vacancies/<reference>/applications/<application_reference>/withdrawal":
        (LOGIN, 400, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /hr/vacancies/<reference>/applications/<application_reference>/subject-access": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /hr/vacancies/<reference>/applications/<application_reference>/subject-access.json": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /hr/vacancies/<reference>/applications/<application_reference>/subject-access.pdf": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /hr/vacancies/<reference>/holds/<int:hold_id>/release": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /hr/vacancies/<reference>/grants": (LOGIN, 400, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /hr/vacancies/<reference>/grants/<int:grant_id>/revoke": (LOGIN, 302, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /hr/vacancies/<reference>/holds": (LOGIN, 400, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /hr/vacancies/<reference>/holds/<int:hold_id>/release": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /hr/vacancies/<reference>/policy": (LOGIN, 400, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    # Integrations (issue 18): HR's tokens page, a token and a webhook belonging to one organisation
    # (HR of another organisation: not found); the API answers only to a token (a signed-in
    # session is not one: 401 for everyone); its document and docs page are public
    "GET /integrations/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "POST /integrations/": (LOGIN, 400, 403, 403, 403, 403, 403, 403, 400, 403, NA),
    "POST /integrations/<int:token_id>/revoke": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "GET /integrations/webhooks": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "POST /integrations/webhooks": (LOGIN, 400, 403, 403, 403, 403, 403, 403, 400, 403, NA),
    "POST /integrations/webhooks/<int:webhook_id>/remove": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /integrations/deliveries/<int:delivery_id>/replay": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /api/v1/vacancies/<reference>/applications/<application_reference>/withdrawal":
        (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
    "GET /api/v1/webhooks": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "POST /api/v1/webhooks": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/docs": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "GET /api/v1/openapi.json": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "GET /api/v1/vacancies": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/vacancies/<reference>": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/vacancies/<reference>/applications": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "POST /api/v1/vacancies/<reference>/applications": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/vacancies/<reference>/decisions": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/vacancies/<reference>/interview-outcomes": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    "GET /api/v1/vacancies/<reference>/recommendations": (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, NA),
    # The outbox: every e-mail, its delivery, and HR's actions on one (HR only; HR sees every
    # message of their organisation's, so VAC-B's message is HR's too: the idor cell; HR of another
    # organisation: not found)
    "GET /hr/outbox/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/outbox/<int:message_id>": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404, 403, 200),
    "GET /hr/outbox/<int:message_id>/calendar.ics": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404, 403, 200),
    "POST /hr/outbox/<int:message_id>/cancel": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /hr/outbox/<int:message_id>/mark-sent": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    "POST /hr/outbox/<int:message_id>/resend": (LOGIN, 302, 403, 403, 403, 403, 403, 403, 404, 403, 302),
    # The wording of messages per organisation (HR only); an empty POST is a preview of nothing: 400
    "GET /hr/templates/": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "GET /hr/templates/<kind>": (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200, 403, NA),
    "POST /hr/templates/<kind>": (LOGIN, 400, 403, 403, 403, 403, 403, 403, 400, 403, NA),
    # Anyone signed in: their own reminder switch (an empty POST chooses nothing: 400)
    "GET /account/notifications": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, NA),
    "POST /account/notifications": (LOGIN, 400, 400, 400, 400, 400, 400, 400, 400, 400, NA),
    # Creating a vacancy: HR and recruiting managers
    "GET /vacancies/new": (LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, NA),
    "POST /vacancies/new": (LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, NA),
    # Any relation to the vacancy (view); the pack and its documents: the whole panel's pack
    # (the document here) for those who arrange interviews; members get their own copy only
    "GET /vacancies/<reference>": (LOGIN, 200, 200, 200, 200, 200, 404, 200, 404, 404, NA),
    "GET /vacancies/<reference>/documents/<int:document_id>.pdf": (LOGIN, 302, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/documents/<int:document_id>/status": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/interviews": (LOGIN, 200, 200, 200, 200, 200, 404, 200, 404, 404, NA),
    "GET /vacancies/<reference>/interviews/<application_reference>.ics": (LOGIN, 200, 200, 200, 200, 200, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/pack": (LOGIN, 200, 200, 200, 200, 200, 404, 200, 404, 404, NA),
    "POST /vacancies/<reference>/pack": (LOGIN, 302, 302, 302, 302, 302, 404, 302, 404, 404, NA),
    # Closing applications (early, with a reason): HR only
    "GET /vacancies/<reference>/close-applications": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/close-applications": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    # Recommendations: not panel members (R27: they see their own scores first)
    "GET /vacancies/<reference>/candidates": (LOGIN, 200, 200, 200, 403, 200, 404, 403, 404, 404, NA),
    # Set-up and intake: HR and the recruiting manager (manage)
    "GET /vacancies/<reference>/applications/": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/applications/import": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/applications/new": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/applications/template.csv": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/checks": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/criteria": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/criteria/<key>": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/setup/criteria/new": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/details": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/import": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/messages": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/messages": (LOGIN, 400, 400, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/import/review": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/library/": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/library/add": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/panel": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/publish": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/questions": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/setup/scale": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/shortlisting-record": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/shortlisting-record.csv": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/shortlisting-record-wide.csv": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/applications/import": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/applications/new": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/checks": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/criteria/<key>": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/setup/criteria/<key>/change": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/setup/criteria/complete": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/panel/complete": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/criteria/new": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/details": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/import": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/import/review": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/library/add": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/panel": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    # the sift pool (issue 19): who manages the vacancy; a third reader: who moderates (VAC-A has no pool:
    # the refusal is flashed on the moderation page)
    "GET /vacancies/<reference>/sift-pool": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/sift-pool": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/sift-pool/allocate": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/moderation/<application_reference>/third-reader": (LOGIN, 302, 403, 302, 403, 403, 404, 403, 404, 404, 404),
    # removing a member: a confirmation page; once scoring has started an empty POST is refused (a reason is needed)
    "GET /vacancies/<reference>/setup/panel/<int:membership_id>/remove": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/setup/panel/<int:membership_id>/remove": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    # making a member's sign-in link: HR, or the manager (the member here has no password yet)
    "POST /vacancies/<reference>/panel/<int:membership_id>/sign-in-link": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/setup/publish": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/questions": (LOGIN, 400, 400, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/setup/scale": (LOGIN, 200, 200, 403, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/shortlisting-record": (LOGIN, 302, 302, 403, 403, 403, 404, 403, 404, 404, NA),
    # The panel's own work: conflicts (panel), scoring (score; the conflicted member gets 403 on A001)
    "GET /vacancies/<reference>/conflicts": (LOGIN, 403, 403, 200, 200, 200, 404, 200, 404, 404, NA),
    "GET /vacancies/<reference>/scoring": (LOGIN, 403, 403, 200, 200, 403, 404, 200, 404, 404, NA),
    "GET /vacancies/<reference>/scoring/<application_reference>": (LOGIN, 403, 403, 200, 200, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/conflicts": (LOGIN, 403, 403, 200, 200, 200, 404, 200, 404, 404, NA),
    # asking for a declared conflict to be withdrawn (the panel); reviewing it (the chair and HR)
    "POST /vacancies/<reference>/conflicts/withdrawal": (LOGIN, 403, 403, 200, 200, 200, 404, 200, 404, 404, NA),
    "GET /vacancies/<reference>/conflicts/withdrawals": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/conflicts/withdrawals": (LOGIN, 400, 403, 400, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/scoring/<application_reference>": (LOGIN, 403, 403, 200, 200, 403, 404, 403, 404, 404, 404),
    # Arranging interviews and the cap: HR, the manager, the chair (arrange)
    "GET /vacancies/<reference>/cap": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/interviews/<application_reference>": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/cap": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/interviews/<application_reference>": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, 404),
    # self-booking: published times, booking on a candidate's behalf, cancelling, a new link (arrange)
    "GET /vacancies/<reference>/interviews/times": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/interviews/times": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/interviews/times/<int:time_id>/remove": (LOGIN, 302, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/interviews/<application_reference>/book": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/interviews/<application_reference>/book": (LOGIN, 200, 200, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/interviews/<application_reference>/cancel": (LOGIN, 302, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/interviews/<application_reference>/new-link": (LOGIN, 302, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    # Moderation, decisions, outcomes: the chair and HR (moderate); positive action: HR only
    "GET /vacancies/<reference>/decisions": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/decisions/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/moderation": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, NA),
    # HR's adjustment review of a disability claim: HR only (the finalised vacancy refuses an empty POST)
    "GET /vacancies/<reference>/adjustments/<application_reference>": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/adjustments/<application_reference>": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    # a candidate's employment-gap marks by member: the chair and HR see them; only HR records one for a member
    "GET /vacancies/<reference>/gaps/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/gaps/<application_reference>": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/moderation/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "GET /vacancies/<reference>/outcomes": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, NA),
    "GET /vacancies/<reference>/outcomes/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/decisions/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/finalise": (LOGIN, 302, 403, 302, 403, 403, 404, 403, 404, 404, NA),
    "POST /vacancies/<reference>/moderation/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/outcomes/<application_reference>": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, 404),
    "POST /vacancies/<reference>/positive-action": (LOGIN, 200, 403, 403, 403, 403, 404, 403, 404, 404, NA),
    # Declarations: HR, and whom HR granted access (VAC-A's chair)
    "GET /vacancies/<reference>/declarations": (LOGIN, 200, 403, 200, 403, 403, 404, 403, 404, 404, NA),
}


# --------------------------------------------------------------------------- the data


@pytest.fixture(scope="module")
def demo_data(app: Flask) -> Iterator[tuple[db_snapshot.Snapshot, access_world.Objects, access_world.Objects]]:
    """This module's data, built once (the name overrides conftest's fixture, so its autouse
    fixture leaves the tables alone between these tests: each test puts the data back
    itself with `db_snapshot.restore`, much faster than emptying every table)."""
    with app.app_context():
        empty_tables()
        a, b = access_world.build()
        snapshot = db_snapshot.take()
    # A document asked for stays queued: the matrix checks who may ask, not the PDF.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "submit", lambda doc_id: None)
        yield snapshot, a, b
    with app.app_context():
        empty_tables()


@pytest.fixture
def world(demo_data: Any) -> Any:
    return demo_data


def _cells() -> list[tuple[str, str]]:
    from shortlist import create_app

    probe = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    return sorted({(method, rule.rule) for rule in probe.url_map.iter_rules() for method in _methods(rule)})


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) & {"GET", "POST"})


def rules_by_key(app: Flask) -> dict[str, Rule]:
    return {f"{method} {rule.rule}": rule for rule in app.url_map.iter_rules() for method in _methods(rule)}


def build_path(rule: Rule, objects: access_world.Objects, reference: str | None = None) -> str:
    values: dict[str, Any] = {}
    for name in sorted(rule.arguments):
        if name == "filename":
            values[name] = "app.css"
        elif hasattr(objects, name):
            values[name] = getattr(objects, name)
        else:
            pytest.fail(f"{rule.rule}: the matrix does not know how to fill the URL argument <{name}>; "
                        "add it to access_world.Objects and to _objects() there")
    if reference is not None:
        values["reference"] = reference
    built = rule.build(values, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def status_of(response: Any) -> Any:
    if response.status_code == 302 and response.headers["Location"].split("?")[0].endswith("/sign-in"):
        return LOGIN
    return response.status_code


def request(client: Any, method: str, path: str) -> Any:
    response = client.get(path) if method == "GET" else client.post(path, data={})
    response.get_data()
    response.close()  # static files are streamed from an open file
    return response


def run_row(app: Flask, client: Any, world: Any, key: str) -> dict[str, Any]:
    """Every column's status for one row, each from a fresh sign-in."""
    snapshot, a, b = world
    method = key.partition(" ")[0]
    rule = rules_by_key(app)[key]
    own = build_path(rule, a)
    swapped = build_path(rule, b, reference=a.reference)
    observed: dict[str, Any] = {}
    db_snapshot.restore(snapshot)
    dirty = False
    for column in COLUMNS:
        if column == "idor":
            if own == swapped:
                observed[column] = NA
                continue
            allowed = [c for c in IDOR_ACTORS if observed[c] not in DENIED]
            if not allowed:
                observed[column] = NA
                continue
            who, path = access_world.WHO[allowed[0]], swapped
        else:
            who, path = access_world.WHO[column], own
        if dirty:
            db_snapshot.restore(snapshot)
        _sign_out(client)
        if who is not None:
            login(client, who)
        observed[column] = status_of(request(client, method, path))
        # a POST that got in may have changed the data: the next cell starts again from the world
        dirty = method == "POST" and observed[column] not in (DENIED if who is None else DENIED - {LOGIN})
        if method == "POST" and not dirty:
            changed = db_snapshot.differences(snapshot, db_snapshot.take())
            assert not changed, f"{key} as {column}: refused ({observed[column]}) but wrote {changed}"
    return observed


def _sign_out(client: Any) -> None:
    with client.session_transaction() as session:
        session.clear()


def _cell_text(value: Any) -> str:
    return {LOGIN: "LOGIN", NA: "NA"}.get(value, repr(value)) if isinstance(value, str) else repr(value)


# --------------------------------------------------------------------------- the tests


def test_every_endpoint_has_a_row(app: Flask):
    present = set(rules_by_key(app))
    missing = sorted(present - MATRIX.keys())
    assert not missing, (
        "endpoints without a row in tests/test_access_matrix.py MATRIX (add the expected status for each "
        "column): " + "; ".join(f'"{k}" (endpoint {rules_by_key(app)[k].endpoint})' for k in missing))
    stale = sorted(MATRIX.keys() - present)
    assert not stale, f"rows in MATRIX for URL rules the app no longer has: {stale}"


def test_every_row_names_every_column():
    wrong = [k for k, v in MATRIX.items() if len(v) != len(COLUMNS)]
    assert not wrong, f"rows without exactly {len(COLUMNS)} cells: {wrong}"


@pytest.mark.parametrize("key", [f"{m} {r}" for m, r in _cells()])
def test_matrix_row(app: Flask, client: Any, world: Any, key: str):
    expected = MATRIX.get(key)
    observed = run_row(app, client, world, key)
    if os.environ.get("ACCESS_MATRIX_PRINT"):  # to write a new row: review every cell before pasting it
        print(f"\n    {key!r}: ({', '.join(_cell_text(observed[c]) for c in COLUMNS)}),")
    assert expected is not None, f"add a row for {key!r} to MATRIX"
    wrong = {c: f"expected {e!r}, got {observed[c]!r}" for c, e in zip(COLUMNS, expected, strict=True)
             if observed[c] != e}
    assert not wrong, f"{key}: {wrong}"


# --------------------------------------------------------------------------- ids outside the URL path


@pytest.fixture
def restored(world: Any) -> tuple[access_world.Objects, access_world.Objects]:
    snapshot, a, b = world
    db_snapshot.restore(snapshot)
    return a, b


def _user_id(email: str) -> int:
    from tests.access_world import _user

    return _user(email).id


@pytest.mark.parametrize(("who", "query", "status"), [
    (access_world.CHAIR, "candidate=B001", 404),              # VAC-B's candidate in VAC-A's pack
    (access_world.CHAIR, "member={outsider}", 404),           # VAC-B's panel member's copy of VAC-A's pack
    (access_world.MEMBER, "member={chair}", 403),             # another member's own copy
    (access_world.CONFLICTED, "member={member}", 403),
    (access_world.MEMBER, "member={member}", 200),            # their own copy
    (access_world.CHAIR, "member={member}", 200),             # the chair arranges, so makes every copy
])
def test_pack_variants_named_in_the_query_are_checked(client, restored, who, query, status):
    ids = {"outsider": _user_id(access_world.OUTSIDER), "chair": _user_id(access_world.CHAIR),
           "member": _user_id(access_world.MEMBER)}
    login(client, who)
    assert client.get(f"/vacancies/VAC-A/pack?{query.format(**ids)}").status_code == status


def test_vacancy_b_objects_in_vacancy_a_forms_are_refused(client, restored):
    """Ids and references in form bodies, not only in paths, are looked up within the vacancy."""
    before = db_snapshot.take()
    login(client, access_world.HR)
    grant = client.post("/hr/vacancies/VAC-A/grants", data={"user_id": str(_user_id(access_world.OUTSIDER)),
                                                             "reason": "For the interview"})
    assert grant.status_code == 400
    hold = client.post("/hr/vacancies/VAC-A/holds", data={"target": "B001", "kind": "claim", "reason": "Claim 1"})
    assert hold.status_code == 400
    assert db_snapshot.differences(before, db_snapshot.take()) == []


# --------------------------------------------------------------------------- a manager who chairs, before scoring

#: what the access policy hides from a scorer until they have declared and submitted (R27, R10)
LEAKS = {
    "a reason quoting scores": re.compile(r"independent scores? \("),
    "scheme status": re.compile(r"Guaranteed interview|offer.an.interview. scheme and meets|scheme_guarantee"),
    "disability information": re.compile(r"The applicant says they cannot meet|Waived \(disability\)"),
}
#: pages and exports that show that data for VAC-C (found by asking each as HR, below): the
#: probe must find at least these, so it cannot pass by finding nothing
KNOWN_DATA_PAGES = {
    "/vacancies/VAC-C/candidates", "/vacancies/VAC-C/shortlisting-record",
    "/vacancies/VAC-C/shortlisting-record.csv", "/vacancies/VAC-C/decisions/C001",
    "/vacancies/VAC-C/moderation/C002", "/vacancies/VAC-C/decisions/C003",
}


def _leaks(text: str) -> set[str]:
    return {what for what, pattern in LEAKS.items() if pattern.search(text)}


def _vacancy_c_paths(app: Flask) -> list[str]:
    """Every GET URL of the app about VAC-C, with each of its candidates where the URL names one."""
    paths = []
    for key, rule in sorted(rules_by_key(app).items()):
        if not key.startswith("GET ") or "reference" not in rule.arguments:
            continue
        for ref in ("C001", "C002", "C003") if "application_reference" in rule.arguments else ("C001",):
            paths.append(build_path(rule, access_world.Objects(reference="VAC-C", application_reference=ref, key="K1")))
    return paths


def test_a_manager_who_chairs_sees_no_scores_scheme_or_disability_before_scoring(app, client, restored):
    """Security review finding 1: every page and export that shows scores, the reasons that
    quote them, scheme membership or disability information (found by asking every VAC-C URL
    as HR) shows none of it to VAC-C's manager, who chairs and has not declared or scored."""
    shown: dict[str, set[str]] = {}
    for path in _vacancy_c_paths(app):
        _sign_out(client)
        login(client, access_world.HR)
        found = _leaks(request(client, "GET", path).get_data().decode("utf-8", "replace"))
        if not found:
            continue
        _sign_out(client)
        login(client, access_world.CHAIR_MANAGER)
        response = request(client, "GET", path)
        shown[path] = _leaks(response.get_data().decode("utf-8", "replace")) if response.status_code == 200 else set()
    missing = KNOWN_DATA_PAGES - shown.keys()
    assert not missing, f"HR no longer sees the data on {missing}: the probe is not finding the pages"
    leaked = {path: found for path, found in shown.items() if found}
    assert not leaked, f"the manager who chairs sees, before declaring or scoring: {leaked}"


def test_the_record_pdf_of_a_manager_who_chairs_holds_no_scores(app, restored):
    """The PDF is made from the reader's own copy of the record (the record's document spec
    names them): no member's score, no score-quoting reason, no scheme, no disability."""
    from shortlist.services import packs as documents
    from tests.access_world import _user, _vacancy

    vacancy = _vacancy("VAC-C")
    chair = _user(access_world.CHAIR_MANAGER)
    spec = documents.record_spec(vacancy, chair)
    assert spec.member_id == chair.id
    model = documents.build(vacancy, spec)
    assert {s for c in model.candidates for line in c.lines for s in line.scores} == {"Hidden"}
    assert not _leaks(documents.html(model))
    # HR's record has them all: what the copy leaves out is there to leave out
    assert _leaks(documents.html(documents.build(vacancy, documents.record_spec(vacancy, _user(access_world.HR))))) \
        == set(LEAKS)
    # the whole record is not the chair's to ask for
    with pytest.raises(documents.DocumentRefused):
        documents.check_allowed(vacancy, chair, documents.DocumentSpec("record"))


def test_once_the_manager_who_chairs_has_declared_and_scored_they_see_the_scores(app, client, restored):
    """The other side of the rule: declared and submitted, the chair sees the scores and the
    scheme for those candidates (disability stays HR's)."""
    from shortlist.services import panel
    from tests.access_world import _user, _vacancy

    vacancy, chair = _vacancy("VAC-C"), _user(access_world.CHAIR_MANAGER)
    panel.declare_conflicts(vacancy, chair, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, chair)})
    for ref, values in (("C001", {"K1": "3", "D1": "2"}), ("C003", {"K1": "1", "D1": "1"})):
        application = panel.application_by_reference(vacancy, ref)
        assert application is not None
        panel.save_sheet(vacancy, application, chair, "shortlisting", values, {}, {}, submit=True)
    login(client, access_world.CHAIR_MANAGER)
    text = request(client, "GET", "/vacancies/VAC-C/candidates").get_data(as_text=True)
    assert _leaks(text) == {"a reason quoting scores", "scheme status"}
    assert "Submit your scores first" in text  # C002, not yet scored by the chair
