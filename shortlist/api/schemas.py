"""The API's marshmallow schemas: what each operation takes and returns, and so the OpenAPI
document. Campaign bodies are checked again, field by field, by the campaign file's reader
(shortlist.campaign_format), whose messages and paths the errors carry."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from shortlist.services.api import DEFAULT_PAGE, MAX_BATCH, MAX_PAGE


class Described(Schema):
    """A body the document describes but the campaign file's reader checks (so every problem is
    reported at once, with its field path and the reader's words): loading passes it through."""

    def load(self, data, *, many=None, partial=None, unknown=None):  # type: ignore[no-untyped-def, override]
        return data


class Problem(Schema):
    path = fields.String(required=True, metadata={"description": "The field, as in the request: "
                                                                 "applications[3].evidence.K1"})
    message = fields.String(required=True)


class Errors(Schema):
    errors = fields.List(fields.Nested(Problem), required=True)


class PageArgs(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=100),
                           metadata={"description": "next_cursor from the previous page"})
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(1, MAX_PAGE))


class Page(Schema):
    next_cursor = fields.String(required=True, allow_none=True,
                                metadata={"description": "Pass as cursor for the next page; null on the last"})


class VacancySummary(Schema):
    reference = fields.String(required=True)
    title = fields.String(required=True)
    organisation = fields.String(required=True)
    department = fields.String(required=True)
    grade = fields.String(required=True)
    posts = fields.Integer(required=True)
    closing_date = fields.String(required=True, metadata={"format": "date"})
    status = fields.String(required=True)
    applications = fields.Integer(required=True)
    shortlist_finalised_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})


class VacancyPage(Page):
    items = fields.List(fields.Nested(VacancySummary), required=True)


class Progress(Schema):
    name = fields.String(required=True)
    role = fields.String(required=True)
    to_score = fields.Integer(required=True)
    submitted = fields.Integer(required=True)


class VacancyStatus(VacancySummary):
    panel_progress = fields.List(fields.Nested(Progress), required=True)
    decided = fields.Integer(required=True, metadata={"description": "Shortlisting decisions recorded"})


class Campaign(Described):
    """The campaign file's structure (docs/campaign-format.md), as JSON."""

    class Meta:
        unknown = INCLUDE

    vacancy = fields.Dict(required=True)
    criteria = fields.List(fields.Dict(), required=True)
    panel = fields.List(fields.Dict())
    questions = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class VacancySaved(Schema):
    reference = fields.String(required=True)
    created = fields.Boolean(required=True)


class Spell(Schema):
    from_ = fields.String(data_key="from", required=True, metadata={"description": "YYYY-MM"})
    to = fields.String(allow_none=True, metadata={"description": "YYYY-MM; null: current"})
    employer = fields.String(required=True)
    role = fields.String()


class Declaration(Schema):
    unspent_convictions = fields.Boolean(required=True)
    details = fields.String()


class Forces(Schema):
    left_on = fields.String(metadata={"format": "date"})
    discharge_due = fields.String(metadata={"format": "date"})
    last_long_term_employer = fields.Boolean()


class ApplicationIn(Schema):
    """An application in the campaign file's structure, with the source system's id."""

    class Meta:
        unknown = INCLUDE

    external_id = fields.String(required=True, validate=validate.Length(1, 100))
    reference = fields.String(metadata={"description": "Default: the external_id"})
    name = fields.String(required=True)
    email = fields.String()
    phone = fields.String()
    disability_declared = fields.Boolean()
    offer_interview_opt_in = fields.Boolean()
    unmet_due_to_disability = fields.List(fields.String())
    adjustments = fields.String()
    employment_history = fields.List(fields.Nested(Spell))
    gap_explanations = fields.Dict(keys=fields.String(), values=fields.String())
    qualifications = fields.List(fields.String())
    evidence = fields.Dict(keys=fields.String(), values=fields.String(),
                           metadata={"description": "criterion key -> the applicant's evidence"})
    equality_monitoring = fields.Dict(keys=fields.String(), values=fields.String(),
                                      metadata={"description": "Sealed: stored, returned only to sealed:read"})
    criminal_record_declaration = fields.Nested(Declaration,
                                                metadata={"description": "Sealed: stored, returned only to "
                                                                         "sealed:read"})
    armed_forces = fields.Nested(Forces)


class Batch(Described):
    applications = fields.List(fields.Nested(ApplicationIn), required=True,
                               validate=validate.Length(1, MAX_BATCH))


class BatchItem(Schema):
    external_id = fields.String(required=True)
    reference = fields.String(required=True)
    result = fields.String(required=True, validate=validate.OneOf(["created", "existing"]))


class BatchResult(Schema):
    created = fields.Integer(required=True)
    existing = fields.Integer(required=True)
    applications = fields.List(fields.Nested(BatchItem), required=True)


class ApplicationOut(Schema):
    reference = fields.String(required=True)
    external_id = fields.String(required=True, allow_none=True)
    received_at = fields.String(required=True, metadata={"format": "date-time"})
    name = fields.String(required=True)
    email = fields.String(required=True)
    withdrawn_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    withdrawn_reason = fields.String(required=True, allow_none=True)
    equality_monitoring = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                                      metadata={"description": "Only for a token with sealed:read"})
    criminal_record_declaration = fields.Nested(Declaration, allow_none=True,
                                                metadata={"description": "Only for a token with sealed:read"})


class Withdrawal(Described):
    reason = fields.String(required=True, metadata={"description": "Why the applicant withdrew"})


class Webhook(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    removed_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})


class WebhookMade(Webhook):
    secret = fields.String(required=True, metadata={"description": "The signing secret: shown this once"})


class WebhookIn(Described):
    url = fields.String(required=True, metadata={"description": "https, on a host HR registered"})
    events = fields.List(fields.String(), required=True)


class WebhookPage(Page):
    items = fields.List(fields.Nested(Webhook), required=True)


class WebhookPath(Schema):
    webhook_id = fields.Integer(required=True)


class ApplicationPage(Page):
    items = fields.List(fields.Nested(ApplicationOut), required=True)


class Reason(Schema):
    code = fields.String(required=True)
    criterion = fields.String(required=True, allow_none=True)
    message = fields.String(required=True)


class Recommendation(Schema):
    reference = fields.String(required=True)
    external_id = fields.String(required=True, allow_none=True)
    outcome = fields.String(required=True)
    in_scheme = fields.Boolean(required=True, metadata={"description": "Disability Confident offer an interview"})
    in_forces_scheme = fields.Boolean(required=True, metadata={"description": "Armed Forces Covenant"})
    essential_total = fields.Float(required=True)
    total = fields.Float(required=True)
    within_cap = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(Reason), required=True)


class RecommendationPage(Page):
    items = fields.List(fields.Nested(Recommendation), required=True)


class Decision(Schema):
    reference = fields.String(required=True)
    external_id = fields.String(required=True, allow_none=True)
    stage = fields.String(required=True)
    outcome = fields.String(required=True)
    recommendation = fields.String(required=True)
    reason = fields.String(required=True)
    reasons = fields.List(fields.Nested(Reason), required=True)
    decided_at = fields.String(required=True, metadata={"format": "date-time"})


class DecisionPage(Page):
    items = fields.List(fields.Nested(Decision), required=True)
