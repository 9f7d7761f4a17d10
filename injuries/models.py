# Injury records arrive with the triage and injuries issues.
