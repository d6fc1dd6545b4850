"""The HTTP side of `jmap serve`: pages from memory, and a stream that says when to reload.

Only 127.0.0.1 is served, and only to requests that name it (or localhost) as their host, so a
web page elsewhere cannot reach the maps through a DNS name that points at this machine. There
are no files behind the addresses: an address is a key into the site's pages, so no path can
lead out of them.
"""

from __future__ import annotations

import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jmap import __version__
from jmap.serve.pages import EVENTS_PATH
from jmap.serve.site import Site

HOST = "127.0.0.1"
# An open page holds one stream; a comment line now and then tells a closed one from a quiet one.
KEEPALIVE = 10.0


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open stream never keeps the process alive

    def __init__(self, port: int, site: Site) -> None:
        self.site = site
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS, which can take seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the browser went away mid-answer: nothing to tell the author
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = f"jmap/{__version__}"
    sys_version = ""
    timeout = 30  # seconds a connection may idle before its request arrives

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for what changed in the journeys, not for every request."""

    def _answer(self, *, with_body: bool) -> None:
        if not self._host_is_local():
            self._send(421, "text/plain", "jmap serve answers only 127.0.0.1 and localhost\n")
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == EVENTS_PATH:
            query = parse_qs(url.query)
            page = query.get("page", [""])[0]
            version = query.get("version", [""])[0]
            self._events(page, version, with_body=with_body)
            return
        address = path.removeprefix("/")
        reply = self.server.site.reply(address)
        if reply.location is not None:
            self.send_response(reply.status)
            self.send_header("Location", reply.location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return
        self._send(reply.status, "text/html", reply.body, with_body=with_body)

    def _host_is_local(self) -> bool:
        host = self.headers.get("Host")
        if host is None:
            return True  # an HTTP/1.0 client that names no host cannot be a rebinding browser
        port = self.server.server_port
        return host.lower() in {f"{HOST}:{port}", f"localhost:{port}"}

    def _send(self, status: int, kind: str, text: str, *, with_body: bool = True) -> None:
        # A file name that is not UTF-8 is escaped wherever a page shows it; should one slip
        # through, the page is still sent.
        body = text.encode("utf-8", errors="backslashreplace")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self, page: str, version: str, *, with_body: bool) -> None:
        """Server-sent events: one `reload` once the page is no longer `version`, then the end.

        The stream ends when the server stops (the site wakes every waiter), so a shutdown
        never waits for an open browser tab.
        """
        site = self.server.site
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not with_body:
            return
        try:
            # After a restart of the server, the browser tries again in half a second.
            self._event(b"retry: 500\n\n")
            while not site.closed:
                if site.wait(page, version, KEEPALIVE):
                    self._event(b"event: reload\ndata: changed\n\n")
                    return
                self._event(b": waiting\n\n")
        except (ConnectionError, TimeoutError):
            return

    def _event(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
