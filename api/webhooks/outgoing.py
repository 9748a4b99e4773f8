"""One POST to a webhook's URL, never to an address inside the network (against SSRF).

The host is resolved first and every address it resolves to is checked: loopback, private,
link-local, multicast, reserved and unspecified addresses are refused unless
`WEBHOOK_ALLOW_PRIVATE_ADDRESSES` allows them. The connection then goes to the address that was
checked (not to the name again, which a second lookup could point elsewhere); HTTPS still checks
the certificate against the host name. No redirect is followed; connecting and each read wait
at most `WEBHOOK_TIMEOUT_SECONDS`; of the answer only the first `EXCERPT_BYTES` are read.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

EXCERPT_BYTES = 500


class Refused(Exception):
    """The URL may not be called (its scheme, or an address inside the network)."""


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str
    duration_ms: int


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


def checked_addresses(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) for every address of `host`; Refused if any is not allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"the host name {host} could not be resolved") from error
    addresses = [(int(family), str(info[0])) for family, _type, _proto, _name, info in found]
    for _family, address in addresses:
        if not address_allowed(address):
            raise Refused(f"{host} resolves to {address}, an address inside the network")
    return addresses


class _PinnedConnection(http.client.HTTPSConnection):
    """HTTP(S) to the address checked, with the host's name for Host, SNI and certificate."""

    def __init__(self, host: str, port: int, address: str, *, tls: bool, timeout: float) -> None:
        self._tls_context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls_context)
        self._address, self._tls = address, tls

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        if self._tls:
            sock = self._tls_context.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"only http and https URLs are called, not {url}")
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    (_family, address), *_others = checked_addresses(parts.hostname, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    connection = _PinnedConnection(
        parts.hostname, port, address, tls=tls, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        status = response.status
    finally:
        connection.close()
    return Answer(status, excerpt, int((time.monotonic() - started) * 1000))
