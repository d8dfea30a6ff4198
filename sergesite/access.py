"""
Who is asking: the client's address, shared by the sign-in throttle (django-axes)
and the feedback rate limit, and the page shown to a locked-out sign-in.
"""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address, or None when there is no valid one."""
    # Forwarded headers are set by whoever sends the request, so one is read
    # only when settings name it; a proxy we run appends the address it saw
    # last, after whatever the client sent.
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        forwarded = _valid(request.META[header].split(",")[-1])
        if forwarded:
            return forwarded
    return _valid(request.META.get("REMOTE_ADDR", ""))


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers to a sign-in refused during a lockout."""
    return render(
        request,
        "admin/locked_out.html",
        {"minutes": settings.LOGIN_COOLOFF_MINUTES},
        status=429,
    )
