"""Functions that try to stop the checker from giving a verdict (filled in below)."""
HOSTILE = []
