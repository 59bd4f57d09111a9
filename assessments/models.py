# The year-end dual reporting and dual assessment (DOMAIN.md §4.5) lives here.
