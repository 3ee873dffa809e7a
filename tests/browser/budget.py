"""The page budget of STYLE.md, in one place: every screen must stay within it."""

MAX_NODES = 300  # DOM elements outside <svg>, after scrolling to the bottom
MAX_REQUESTS = 12  # with a cold cache
MAX_BYTES = 250_000  # on the wire, headers included, cold cache
MIN_ECOINDEX = 80  # strictly above: grade A
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# DSFR's explicit landmark roles are reported as redundant: that finding alone may be excluded.
AXE_EXCLUDED_RULES = []
MAX_PAGES_PER_ROLE = 100  # a crawl bound, so that a link loop cannot run forever
