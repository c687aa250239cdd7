"""Block network access in every Python process the test suite starts.

pytest's conftest puts this folder first on PYTHONPATH, so notebook kernels and worker
processes import it too. Connections to loopback (Jupyter kernels talk to their client over
127.0.0.1) and local sockets stay allowed; anything else fails at once.
"""

from __future__ import annotations

import ipaddress
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(OSError):
    """Raised by any attempt to reach the network during the tests."""


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise NetworkBlocked(f"network access is blocked in the tests: connect to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise NetworkBlocked(f"network access is blocked in the tests: connect to {address!r}")
    return _real_connect_ex(self, address)


def _refuse_getaddrinfo(host, *args, **kwargs):
    if host is None or _is_local((host,)):
        return _real_getaddrinfo(host, *args, **kwargs)
    raise NetworkBlocked(f"network access is blocked in the tests: lookup of {host!r}")


_real_getaddrinfo = socket.getaddrinfo
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _refuse_getaddrinfo
