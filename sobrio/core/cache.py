"""The cache of one machine without Redis: Django's file cache, culled less often.

Django's FileBasedCache lists every file of its folder at each write to know whether it
is full (its _cull): with a few hundred entries, that listing was most of an anonymous
pledge's cost (about 6 ms of its 8, measured with benchmarks/cleanup_day.py's form). Here
a process looks at most once a minute; the folder may then pass MAX_ENTRIES by what a
minute writes before it is culled back."""

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY_SECONDS = 60
_culled_at = {}  # folder -> when this process last looked


class FileCache(FileBasedCache):
    def _cull(self):
        now = time.monotonic()
        if now - _culled_at.get(self._dir, float("-inf")) < CULL_EVERY_SECONDS:
            return
        _culled_at[self._dir] = now
        super()._cull()
