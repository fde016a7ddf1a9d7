"""The public pages (no sign-in): the published plan, public statuses, the texts that passed
保密审查, the Atom and JSON feeds, robots, sitemap and the embeddable block."""
