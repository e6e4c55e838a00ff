"""``python -m playground.data.builtin``: draw the shipped seed anew into assets/ (after a change to the drawings)."""

import sys

from playground.data.builtin.shipped import write_shipped

print(f"wrote {write_shipped()}", file=sys.stderr)
