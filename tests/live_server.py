"""The live server answers without the 40 ms Nagle stall (tests/conftest.py installs it).

pytest-django's `live_server` runs Django's `LiveServerThread`, whose wsgiref handler writes a
response in several small `send()`s: the status line, then the headers, then the body. With
Nagle's algorithm on (the socket default), the kernel holds the second small segment until the
first is acknowledged, and the client (requests, urllib, Chromium: any Linux socket) delays
that acknowledgement by 40 ms. So every request to the live server cost at least 40 ms of
waiting: one of the API fuzz's four items makes about 2,900 requests, and it ran three times
slower than it does now.
Production is not affected (gunicorn sets TCP_NODELAY itself).

`install()` gives the live server's accepted connections TCP_NODELAY, as gunicorn does: the
segments leave at once, and the responses are byte for byte the same.
"""

from __future__ import annotations

import socket

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class NoDelayThreadedWSGIServer(ThreadedWSGIServer):
    def get_request(self):
        request, client_address = super().get_request()
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return request, client_address


def install() -> None:
    """Make every `LiveServerThread` of the session serve with TCP_NODELAY."""
    LiveServerThread.server_class = NoDelayThreadedWSGIServer
