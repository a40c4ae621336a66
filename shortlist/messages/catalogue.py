"""Every kind of message the app sends: who gets it, when, its named placeholders and its
English default (subject and body), which HR may replace per organisation.

Placeholders are written as GOV.UK Notify writes them, ``((name))``. A body is plain text
with a little formatting, as in Notify: a blank line between paragraphs, ``* `` at the
start of each line of a bulleted list, ``# `` for a heading and ``^ `` for inset text.
Pure Python: no Flask or database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str
    link: bool = False  # a web address, shown as a link in the HTML part


PLACEHOLDERS: dict[str, Placeholder] = {p.name: p for p in (
    Placeholder("name", "The recipient's name", "Priya Shah"),
    Placeholder("organisation", "The employer's name", "Example Borough Council"),
    Placeholder("vacancy_title", "The job title", "Family Therapist"),
    Placeholder("vacancy_reference", "The vacancy's reference", "EBC-FT-01"),
    Placeholder("link", "The page to go to", "https://shortlist.example.org/vacancies/EBC-FT-01", link=True),
    Placeholder("settings_link", "The page where staff switch reminders off",
                "https://shortlist.example.org/account/notifications", link=True),
    Placeholder("expires_in", "How long the link works", "48 hours"),
    Placeholder("role", "The person's role", "Panel member"),
    Placeholder("scoring_deadline", "The date scoring must be finished by", "Friday 11 December 2026"),
    Placeholder("days_left", "Days until the scoring deadline", "3"),
    Placeholder("unsubmitted", "How many candidates the member has still to submit scores for", "4"),
    Placeholder("applications", "How many applications there are to score", "12"),
    Placeholder("stage", "Shortlisting or interview", "shortlisting"),
    Placeholder("candidates", "How many candidates", "2"),
    Placeholder("candidate_reference", "The candidate's reference (never their name in staff messages)", "A004"),
    Placeholder("member_name", "The panel member's name", "Tom Okafor"),
    Placeholder("outcome", "The decision", "Invite to interview"),
    Placeholder("candidate_name", "The candidate's name", "Alex Morgan"),
    Placeholder("interview_details", "When and where the interview is, or how to choose a time",
                "Tuesday 15 December 2026 at 10:30 (45 minutes)\nRoom 2, Civic Centre, High Street"),
    Placeholder("booking_link", "The candidate's own page for choosing an interview time",
                "https://shortlist.example.org/interview/abc123", link=True),
    Placeholder("booking_deadline", "The last time the candidate can choose or change their time",
                "12:00 on Friday 11 December 2026"),
    Placeholder("change_booking", "How the candidate can change their time (empty when they cannot)",
                "You can change your time until 12:00 on Friday 11 December 2026: "
                "https://shortlist.example.org/interview/abc123"),
    Placeholder("calendar_link", "The interview's calendar file, to add to a calendar",
                "https://shortlist.example.org/interview/abc123/interview.ics", link=True),
    Placeholder("panel", "The interview panel's names, if the employer shares them",
                "Your interview panel will be Priya Shah (chair) and Tom Okafor."),
    Placeholder("what_to_bring", "What the candidate should bring",
                "Photo identification and the originals of your qualification certificates."),
    Placeholder("adjustments_contact", "How the candidate asks for adjustments",
                "If you need any adjustments for the interview, tell us on your booking page or e-mail "
                "recruitment@example.org."),
    Placeholder("contact", "Who the candidate contacts with questions", "recruitment@example.org"),
)}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    audience: str  # "staff" | "candidate"
    when: str  # when it is sent, for HR's template page
    subject: str
    body: str
    placeholders: tuple[str, ...]
    required: tuple[str, ...] = ()  # a template without these is refused (the message would be useless)
    reminder: bool = False  # staff may switch it off for themselves
    calendar: bool = False  # carries an .ics file
    # its link lets the recipient set a password: once a real backend (SMTP, Notify) has sent it,
    # the outbox keeps the message without the link (the database holds only the link's hash)
    secret_link: bool = False


_STAFF_SIGN_OFF = "This message was sent by Shortlist for ((organisation))."
_CANDIDATE_SIGN_OFF = "If you have any questions, contact ((contact)).\n\n((organisation))"

KINDS: dict[str, Kind] = {k.name: k for k in (
    # ---------------------------------------------------------------- staff
    Kind("account_invitation", "Account invitation", "staff",
         "When someone is given an account",
         "Your Shortlist account for ((organisation))",
         "Dear ((name)),\n\n"
         "((organisation)) has given you an account on Shortlist, the service it uses for shortlisting "
         "and interviews, as ((role)).\n\n"
         "Set your password to start:\n\n((link))\n\n"
         "The link works for ((expires_in)). If it has expired, ask your HR team for a new one.\n\n"
         + _STAFF_SIGN_OFF,
         ("name", "organisation", "role", "link", "expires_in"), required=("link",), secret_link=True),
    Kind("password_reset", "Password reset", "staff",
         "When someone asks to reset their password",
         "Reset your Shortlist password",
         "Dear ((name)),\n\n"
         "Someone asked to reset the password for your Shortlist account. To choose a new password, "
         "go to:\n\n((link))\n\n"
         "The link works for ((expires_in)). If you did not ask for this, you can ignore this e-mail: "
         "your password has not changed.\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "link", "expires_in"), required=("link",), secret_link=True),
    Kind("scoring_open", "Scoring is open", "staff",
         "To each panel member when applications close and shortlisting starts",
         "Shortlisting is open: ((vacancy_title)) (((vacancy_reference)))",
         "Dear ((name)),\n\n"
         "Applications for ((vacancy_title)) (((vacancy_reference))) have closed and shortlisting is open. "
         "There are ((applications)) applications.\n\n"
         "* First, declare whether you know any of the applicants.\n"
         "* Then score each application on your own.\n\n"
         "Please finish by ((scoring_deadline)).\n\n((link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "applications", "scoring_deadline",
          "link")),
    Kind("scoring_reminder", "Scoring reminder", "staff",
         "To panel members who have not submitted every score, a number of days (set per vacancy) "
         "before the scoring deadline",
         "Reminder: scores for ((vacancy_title)) are due by ((scoring_deadline))",
         "Dear ((name)),\n\n"
         "You have ((unsubmitted)) applications for ((vacancy_title)) (((vacancy_reference))) still to "
         "submit. Scoring closes on ((scoring_deadline)), in ((days_left)) days.\n\n((link))\n\n"
         "You can switch these reminders off: ((settings_link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "unsubmitted", "scoring_deadline",
          "days_left", "link", "settings_link"), reminder=True),
    Kind("all_submitted", "Every score is in", "staff",
         "To the chair when every panel member has submitted their scores",
         "Every score is in: ((vacancy_title)) (((vacancy_reference)))",
         "Dear ((name)),\n\n"
         "Every panel member has submitted their ((stage)) scores for ((vacancy_title)) "
         "(((vacancy_reference))). You can now moderate and decide.\n\n((link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "stage", "link")),
    Kind("moderation_needed", "Moderation needed", "staff",
         "To the chair when panel members' scores differ enough to need an agreed score",
         "Scores to moderate: ((vacancy_title)) (((vacancy_reference)))",
         "Dear ((name)),\n\n"
         "Panel members' ((stage)) scores differ for ((candidates)) candidates for ((vacancy_title)) "
         "(((vacancy_reference))). Record an agreed score, with the rationale, for each.\n\n((link))\n\n"
         + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "stage", "candidates", "link")),
    Kind("review_decided", "HR has decided a review", "staff",
         "To the chair when HR records a decision on a candidate who needed an HR review",
         "HR has decided ((candidate_reference)): ((vacancy_title))",
         "Dear ((name)),\n\n"
         "HR has recorded a decision for candidate ((candidate_reference)) for ((vacancy_title)) "
         "(((vacancy_reference))): ((outcome)).\n\n((link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "candidate_reference", "outcome",
          "link")),
    Kind("hr_review_needed", "HR review needed", "staff",
         "To HR when a candidate needs an HR review (for example, the guaranteed interview scheme)",
         "HR review needed: ((candidate_reference)), ((vacancy_title))",
         "Dear ((name)),\n\n"
         "Candidate ((candidate_reference)) for ((vacancy_title)) (((vacancy_reference))) needs an HR "
         "review before the shortlist can be finalised.\n\n((link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "candidate_reference", "link")),
    Kind("late_conflict", "Late conflict of interest", "staff",
         "To HR when a panel member declares a conflict of interest after names are revealed",
         "Conflict of interest declared late: ((vacancy_title))",
         "Dear ((name)),\n\n"
         "((member_name)) has declared a conflict of interest with candidate ((candidate_reference)) for "
         "((vacancy_title)) (((vacancy_reference))) after the shortlist was finalised. Decide whether "
         "they should stay on the interview panel for this candidate.\n\n((link))\n\n" + _STAFF_SIGN_OFF,
         ("name", "organisation", "vacancy_title", "vacancy_reference", "member_name", "candidate_reference",
          "link")),
    # ---------------------------------------------------------------- candidates
    Kind("interview_invitation", "Invitation to interview", "candidate",
         "To each candidate invited to interview, when the shortlist is finalised",
         "Invitation to interview: ((vacancy_title))",
         "Dear ((candidate_name)),\n\n"
         "Thank you for applying for ((vacancy_title)) (((vacancy_reference))). We would like to invite you "
         "to an interview.\n\n"
         "((interview_details))\n\n"
         "((panel))\n\n"
         "# What to bring\n\n((what_to_bring))\n\n"
         "# Adjustments\n\n((adjustments_contact))\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "interview_details", "panel",
          "what_to_bring", "adjustments_contact", "contact"), required=("interview_details",)),
    Kind("interview_confirmed", "Interview time confirmed", "candidate",
         "To a candidate when their interview time is booked or changed (with a calendar file)",
         "Your interview for ((vacancy_title))",
         "Dear ((candidate_name)),\n\n"
         "Your interview for ((vacancy_title)) (((vacancy_reference))) is:\n\n"
         "((interview_details))\n\n"
         "Add it to your calendar: ((calendar_link))\n\n"
         "((change_booking))\n\n"
         "((panel))\n\n"
         "# What to bring\n\n((what_to_bring))\n\n"
         "# Adjustments\n\n((adjustments_contact))\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "interview_details",
          "calendar_link", "change_booking", "panel", "what_to_bring", "adjustments_contact", "contact"),
         required=("interview_details",), calendar=True),
    Kind("interview_cancelled", "Interview cancelled", "candidate",
         "To a candidate when their interview time is cancelled (the calendar entry is removed)",
         "Your interview for ((vacancy_title)) has been cancelled",
         "Dear ((candidate_name)),\n\n"
         "Your interview for ((vacancy_title)) (((vacancy_reference))) at the time below has been "
         "cancelled:\n\n((interview_details))\n\n"
         "We will contact you about a new time.\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "interview_details",
          "contact"), calendar=True),
    Kind("interview_times_open", "Interview times to choose from", "candidate",
         "To invited candidates who have not yet booked, when the chair publishes interview times",
         "Choose your interview time: ((vacancy_title))",
         "Dear ((candidate_name)),\n\n"
         "Interview times for ((vacancy_title)) (((vacancy_reference))) are now open. Choose yours here:\n\n"
         "((booking_link))\n\n"
         "You can choose or change your time until ((booking_deadline)).\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "booking_link",
          "booking_deadline", "contact"), required=("booking_link",)),
    Kind("reserve", "Reserve list", "candidate",
         "To each candidate on the reserve list, when the shortlist is finalised",
         "Your application for ((vacancy_title))",
         "Dear ((candidate_name)),\n\n"
         "Thank you for applying for ((vacancy_title)) (((vacancy_reference))).\n\n"
         "We have put you on our reserve list for interview. This means we may invite you to an interview "
         "if a place becomes available. We will contact you either way.\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "contact")),
    Kind("not_shortlisted", "Not shortlisted", "candidate",
         "To each candidate not invited to interview, when the shortlist is finalised",
         "Your application for ((vacancy_title))",
         "Dear ((candidate_name)),\n\n"
         "Thank you for applying for ((vacancy_title)) (((vacancy_reference))) and for the time you gave "
         "to your application.\n\n"
         "We are sorry to tell you that you have not been shortlisted for interview on this occasion.\n\n"
         "We wish you well, and hope you will apply for other jobs with us.\n\n" + _CANDIDATE_SIGN_OFF,
         ("candidate_name", "organisation", "vacancy_title", "vacancy_reference", "contact")),
)}

assert all(set(k.placeholders) <= PLACEHOLDERS.keys() for k in KINDS.values())


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown message kind {name!r}") from None


def sample_context(k: Kind) -> dict[str, str]:
    """Sample values for every placeholder of a kind: the preview HR sees."""
    return {name: PLACEHOLDERS[name].sample for name in k.placeholders}
