# Exercise library and programmes arrive with the programmes issue.
