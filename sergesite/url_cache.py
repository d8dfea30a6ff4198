"""
reverse() for the addresses every page prints many times over.

A page lists dozens of essays, people and works, each with its address, and
each reverse() walks the URL resolver again: about 50 calls and 1 ms on an
essay page. An address depends only on the URLconf, the script prefix and
the arguments, none of which a request can change, so each is worked out
once and kept (the 4,096 used last: a sitemap page goes through more, which
costs it only a few extra reversals). A test that swaps the URLconf
empties the store, as Django empties its own resolver caches.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse


@functools.lru_cache(maxsize=4096)
def _address(prefix, viewname, slug):
    return reverse(viewname, kwargs={"slug": slug})


def slug_address(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), kept after the first call."""
    # The prefix is part of the key: a site served under a sub-path (SCRIPT_NAME) has its own.
    return _address(get_script_prefix(), viewname, slug)


@receiver(setting_changed)
def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _address.cache_clear()
