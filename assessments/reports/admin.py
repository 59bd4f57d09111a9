"""The reports have no models, so nothing of theirs appears in the admin site."""
