"""Where the plan texts the tests read live.

The seed plan's published text (此件公开发布) is part of the project, so a fresh clone tests
itself. The other bureaus' plans in ../shared/plans are an optional corpus: tests of it skip
when it is absent.
"""

from pathlib import Path

from django.conf import settings

SEED = Path(settings.BASE_DIR) / "fixtures" / "plan_2016_source.txt"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_2016.json"
SHARED_PLANS = Path(settings.BASE_DIR).parent / "shared" / "plans"
