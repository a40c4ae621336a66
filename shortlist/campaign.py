"""The old name of `shortlist.campaign_format` (the campaign file format), renamed in issue 15
so that it is not mistaken for `shortlist.services.campaigns`, which loads a campaign. Kept
while branches written against the old name land; nothing in shortlist/ imports it, and it
goes once they have."""

from shortlist.campaign_format import *  # noqa: F403
from shortlist.campaign_format import CampaignError, Problem, parse  # noqa: F401  (the names most used)
