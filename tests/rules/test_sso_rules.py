"""Single sign-on's rules (shortlist/rules/sso.py): who an organisation's provider may sign
in, as what, and what its settings file must say."""

from __future__ import annotations

from shortlist.rules.sso import Person, Refusal, SsoPolicy, admit, parse_domains, parse_role_map, read_settings

KENT = SsoPolicy(organisation="Kent County Council", domains=frozenset({"kent.gov.uk"}), role_claim="groups",
                 role_map={"hr": "hr_admin", "managers": "recruiting_manager"})


def test_a_verified_address_in_an_allowed_domain_is_admitted_with_the_highest_mapped_role() -> None:
    person = admit({"sub": "42", "email": " Ada@Kent.GOV.UK ", "email_verified": True, "name": "Ada",
                    "groups": ["managers", "hr", "other"]}, KENT)
    assert person == Person(subject="42", email="ada@kent.gov.uk", name="Ada", role="hr_admin")


def test_no_mapped_group_gives_the_least_role_and_a_name_is_made_from_its_parts() -> None:
    person = admit({"sub": "7", "email": "bo@kent.gov.uk", "email_verified": True, "given_name": "Bo",
                    "family_name": "Li", "groups": "nobody"}, KENT)
    assert isinstance(person, Person) and (person.role, person.name) == ("panel_member", "Bo Li")
    bare = admit({"sub": "8", "email": "cy@kent.gov.uk", "email_verified": True}, KENT)
    assert isinstance(bare, Person) and bare.name == "cy"


def test_refusals_say_why() -> None:
    def reason(claims: dict[str, object], policy: SsoPolicy = KENT) -> str:
        refused = admit(claims, policy)
        assert isinstance(refused, Refusal)
        return refused.reason

    ok = {"sub": "1", "email": "a@kent.gov.uk", "email_verified": True}
    assert reason({**ok, "sub": ""}) == "no_subject"
    assert reason({**ok, "email": None}) == "no_email"
    assert reason({**ok, "email": "a@kent.gov.uk.evil.example"}) == "domain_not_allowed"
    assert reason({**ok, "email": "a@sub.kent.gov.uk"}) == "domain_not_allowed"  # exact domains only
    assert reason({**ok, "email_verified": False}) == "email_not_verified"
    assert reason({**ok, "email_verified": "true"}) == "email_not_verified"  # a string is not a verification
    missing = {k: v for k, v in ok.items() if k != "email_verified"}
    assert reason(missing) == "email_not_verified"
    trusting = SsoPolicy(organisation="Kent", domains=frozenset({"kent.gov.uk"}), trust_domains=True)
    assert isinstance(admit(missing, trusting), Person)
    assert reason({**ok, "email_verified": False}, trusting) == "email_not_verified"


def test_domains_and_role_maps_are_read_with_their_problems_named() -> None:
    assert parse_domains("@Kent.gov.uk, medway.gov.uk\nkent.gov.uk") == (["kent.gov.uk", "medway.gov.uk"], [])
    assert parse_domains("not a domain")[1] == ["'not' is not an email domain, like example.gov.uk",
                                                "'a' is not an email domain, like example.gov.uk",
                                                "'domain' is not an email domain, like example.gov.uk"]
    mapping, problems = parse_role_map("# comment\nshortlist-hr = hr_admin\nx = boss\nno equals\n")
    assert mapping == {"shortlist-hr": "hr_admin"}
    assert problems == ["Line 3: 'boss' is not a role; use one of hr_admin, recruiting_manager, panel_member",
                        "Line 4: write 'group = role', like 'shortlist-hr = hr_admin'"]


def test_a_settings_file_is_read_with_every_problem_named() -> None:
    good = {"KCC": {"name": "Kent County Council", "issuer": "https://login.example.net/kent/",
                    "client_id": "abc", "client_secret_env": "KCC_SECRET", "domains": ["Kent.gov.uk"],
                    "role_claim": "groups", "role_map": {"shortlist-hr": "hr_admin"}, "create_accounts": True}}
    settings, problems = read_settings(good, {"KCC_SECRET": "s3cret"})
    assert problems == []
    assert settings["KCC"] == {"name": "Kent County Council", "issuer": "https://login.example.net/kent",
                               "client_id": "abc", "client_secret": "s3cret", "domains": ["kent.gov.uk"],
                               "role_claim": "groups", "role_map": {"shortlist-hr": "hr_admin"},
                               "trust_domains": False, "create_accounts": True}
    bad = {"KCC": {"name": "Kent", "issuer": "http://login.example.net", "client_id": "abc",
                   "client_secret_env": "UNSET", "domains": ["kent"], "role_map": {"x": "king"}, "create_accounts": "yes",
                   "colour": "blue", "password_sign_in": False}}
    settings, problems = read_settings(bad, {})
    assert settings == {}
    assert problems == [
        "KCC: unknown settings colour",
        "KCC: password_sign_in is the organisation's own setting now: shortlist organisation-sign-in KCC "
        "--password-sign-in off",
        "KCC: issuer must start https:// (http:// only on this machine)",
        "KCC: client_secret_env names UNSET, which is not set",
        "KCC: client_secret (or client_secret_env, naming an environment variable) is missing",
        'KCC: domains must be a list of e-mail domains, like ["kent.gov.uk"], or left out (the organisation\'s '
        "own) ('kent' is not an email domain, like example.gov.uk)",
        "KCC: role_map maps claim values to hr_admin, recruiting_manager, panel_member",
        "KCC: create_accounts must be true or false",
    ]
    assert read_settings([], {})[1] == ["the file must hold an object: organisation codes to their settings"]
