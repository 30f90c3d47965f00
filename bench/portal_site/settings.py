"""Settings of the server the portal benchmark starts (``zhifa serve``): the development
settings without DEBUG (no query log, no autorefresh of static files) and the bench's
URLconf. Everything else (database, rate limit, proxies) comes from the environment the
bench gives it."""

from __future__ import annotations

from zhifa.settings.development import *  # noqa: F403

DEBUG = False
WHITENOISE_AUTOREFRESH = False
ROOT_URLCONF = "portal_site.urls"
