"""
The project's settings with the page benchmark's URLconf (which adds the
/hello/ ceiling). Everything else, middleware included, is the site's own,
read from the same environment.
"""

from sergesite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
