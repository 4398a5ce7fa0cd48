"""Images an import names by web address, fetched without letting a file reach the shop's own
network (SSRF): http or https on the standard ports, no credentials, a host whose every
address is public, the connection made to the address that was checked (so a second DNS
answer cannot switch it to an internal one), no redirect, a time and size limit, and content
that Pillow opens as an image. A refusal raises `ValueError` with a sentence for the row."""

import hashlib
import ipaddress
import socket
import time
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

PORTS = {"http": 80, "https": 443}
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
CHUNK_BYTES = 64 * 1024


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global and not multicast (which `is_global` lets through), and for IPv6 the same of
    the IPv4 address it carries (mapped, 6to4, Teredo, NAT64)."""
    if not address.is_global or address.is_multicast:
        return False
    if address.version == 6:
        embedded = [address.ipv4_mapped, address.sixtofour]
        embedded += list(address.teredo or ())
        if address in NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(is_public(inner) for inner in embedded if inner is not None)
    return True


def is_url(name: str) -> bool:
    return "://" in name or name.startswith("//")


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the vetted IP the connection goes to


def target_for(url: str) -> Target:
    """The URL's form checked and its host resolved once: every address must be public."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValueError(_("“%(url)s” is not a valid web address.") % {"url": url}) from None
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise ValueError(
            _("“%(url)s”: only http and https addresses are downloaded.") % {"url": url}
        )
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            _("“%(url)s” carries a user name or password: write the address without it.")
            % {"url": url}
        )
    host = parts.hostname or ""
    if not host:
        raise ValueError(_("“%(url)s” has no host name.") % {"url": url})
    if port not in (None, PORTS[scheme]):
        raise ValueError(
            _("“%(url)s” uses port %(port)s: only the standard ports 80 and 443 are allowed.")
            % {"url": url, "port": port}
        )
    port = PORTS[scheme]
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValueError(
            _("The host of “%(url)s” cannot be found: check the address.") % {"url": url}
        ) from None
    addresses = [ipaddress.ip_address(answer[4][0].split("%")[0]) for answer in answers]
    if not addresses or not all(is_public(address) for address in addresses):
        raise ValueError(
            _("“%(url)s” points to a private or reserved network address: it is not downloaded.")
            % {"url": url}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, scheme, host, port, path, str(addresses[0]))


def open_response(target: Target, timeout: float):
    """A GET to the vetted address with the original host name (its Host header, and for
    https its SNI and certificate check): no redirect, no retry, the body left unread."""
    options = {
        "host": target.address,
        "port": target.port,
        "timeout": urllib3.Timeout(total=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            server_hostname=target.host, assert_hostname=target.host, **options
        )
    else:
        pool = urllib3.HTTPConnectionPool(**options)
    return pool.urlopen(
        "GET",
        target.path,
        headers={"Host": target.host, "Accept": "image/*", "Accept-Encoding": "identity"},
        redirect=False,
        preload_content=False,
    )


def download(target: Target) -> tuple[bytes, str]:
    """The image's bytes and its file suffix, read within the time and size limits."""
    url = target.url
    timeout = settings.SHOP_IMPORT_IMAGE_TIMEOUT
    max_bytes = settings.SHOP_IMPORT_IMAGE_MAX_BYTES
    too_slow = ValueError(
        _("“%(url)s” did not answer within %(seconds)s seconds.")
        % {"url": url, "seconds": f"{timeout:g}"}
    )
    too_large = ValueError(
        _("“%(url)s” is larger than %(megabytes)s MB.")
        % {"url": url, "megabytes": f"{max_bytes / 1024 / 1024:g}"}
    )
    deadline = time.monotonic() + timeout
    try:
        response = open_response(target, timeout)
        try:
            if 300 <= response.status < 400:
                raise ValueError(
                    _("“%(url)s”: the address redirects elsewhere; write the final address.")
                    % {"url": url}
                )
            if response.status != 200:
                raise ValueError(
                    _("“%(url)s” answered with the error %(status)s.")
                    % {"url": url, "status": response.status}
                )
            body = bytearray()
            # Not decompressed: the cap counts the bytes received, a zip bomb stays small.
            for chunk in response.stream(CHUNK_BYTES, decode_content=False):
                body += chunk
                if len(body) > max_bytes:
                    raise too_large
                if time.monotonic() > deadline:
                    raise too_slow
        finally:
            response.release_conn()
    except (TimeoutError, urllib3.exceptions.TimeoutError):
        raise too_slow from None
    except (OSError, urllib3.exceptions.HTTPError):
        raise ValueError(_("“%(url)s” could not be downloaded.") % {"url": url}) from None
    return bytes(body), image_suffix(bytes(body), url)


def image_suffix(content: bytes, url: str) -> str:
    try:
        with Image.open(BytesIO(content)) as image:
            image_format = image.format
            image.verify()
    except Exception:
        image_format = None
    if image_format not in FORMATS:
        raise ValueError(
            _("“%(url)s” is not an image: use a JPEG, PNG, WebP or GIF file.") % {"url": url}
        )
    return FORMATS[image_format]


def stored_name(content: bytes, suffix: str, folder: str) -> str:
    """A name made from the content, never from the URL: the same image downloaded twice is
    one file, and a product that has it already is not given it again."""
    return f"{folder}import-{hashlib.sha256(content).hexdigest()[:24]}{suffix}"
