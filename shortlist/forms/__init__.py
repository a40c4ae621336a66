"""Forms, rendered through GOV.UK Frontend macros."""
