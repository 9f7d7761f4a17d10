"""The coach's monitoring pages, one module per concern: a team's load and recurrence watch
(team.py), one athlete's load, exposure and risk (athlete.py), the GPS import (gps.py)."""
