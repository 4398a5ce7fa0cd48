"""Images by web address in the product import: checked in the preview (form and host, no
download), downloaded at confirm from the vetted address only, refused per row otherwise. The
network is faked (`socket.getaddrinfo` and the connection); one test talks to a server of its
own on 127.0.0.1."""

import ipaddress
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from shop.catalog.imports import fetch
from shop.models import Product, ProductImage
from tests.factories import CategoryFactory
from tests.shop.catalog.import_support import (
    PRODUCTS,
    as_csv,
    confirm,
    preview,
    product_row,
    row_errors,
)

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"
URL = "https://images.example.com/pans/copper.png?size=large"


def png_bytes(size=(40, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "#b87333").save(buffer, format="PNG")
    return buffer.getvalue()


class FakeResponse:
    def __init__(self, status=200, body=b"", chunks=None):
        self.status = status
        self.chunks = chunks if chunks is not None else [body]
        self.released = False

    def stream(self, _size, decode_content=True):
        yield from self.chunks

    def release_conn(self):
        self.released = True


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Network:
    """What the fake DNS answers and what the fake server sends back, with every connection
    made (the address connected to, the host name sent)."""

    def __init__(self):
        self.dns: dict[str, list[str]] = {}
        self.answer = lambda target: FakeResponse(body=png_bytes())
        self.connections: list[tuple[str, str, int, str]] = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        if is_ip(host):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        if host not in self.dns:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in self.dns[host]
        ]

    def open_response(self, target, timeout):
        self.connections.append((target.address, target.host, target.port, target.path))
        return self.answer(target)


@pytest.fixture
def network(monkeypatch):
    fake = Network()
    fake.dns["images.example.com"] = [PUBLIC]
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    monkeypatch.setattr(fetch, "open_response", fake.open_response)
    return fake


@pytest.fixture
def shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    CategoryFactory(name="Cookware", slug="cookware", parent=kitchen)


def stored_files() -> list[str]:
    if not default_storage.exists("products"):
        return []
    return default_storage.listdir("products")[1]


def only_error(response) -> str:
    errors = row_errors(response)
    assert len(errors) == 1 and errors[0][:2] == (2, "images"), errors
    return errors[0][2]


def test_an_image_at_a_public_address_is_downloaded_at_confirm_and_attached(
    client, manager, shop, network
):
    response = preview(client, as_csv([product_row(sku="PAN-9", images=URL)]))
    assert row_errors(response) == []
    assert network.connections == []  # the preview resolves the host, downloads nothing
    assert stored_files() == []

    done = confirm(client, response)
    assert done.status_code == 302 and done.url == PRODUCTS
    assert network.connections == [
        (PUBLIC, "images.example.com", 443, "/pans/copper.png?size=large")
    ]
    image = ProductImage.objects.get()
    assert image.product == Product.objects.get(sku="PAN-9")
    assert image.image.name.startswith("products/import-") and image.image.name.endswith(".png")
    assert "copper" not in image.image.name  # never the address's own file name
    with default_storage.open(image.image.name) as stored:
        assert stored.read() == png_bytes()
    assert image.thumbnail and default_storage.exists(image.thumbnail.name)


def test_the_same_address_twice_is_downloaded_once_and_not_attached_again(
    client, manager, shop, network
):
    rows = [product_row(sku="PAN-9", images=URL), product_row(sku="POT-9", images=URL)]
    confirm(client, preview(client, as_csv(rows)))
    assert len(network.connections) == 1
    assert ProductImage.objects.count() == 2 and len(stored_files()) == 1
    confirm(client, preview(client, as_csv(rows[:1])))  # the same file imported again
    assert ProductImage.objects.filter(product__sku="PAN-9").count() == 1


@pytest.mark.parametrize(
    ("addresses", "why"),
    [
        (["10.1.2.3"], "private network"),
        (["127.0.0.1"], "loopback"),
        (["169.254.169.254"], "cloud metadata"),
        (["192.168.0.10"], "private network"),
        (["0.0.0.0"], "unspecified"),
        (["224.0.0.1"], "multicast"),
        (["::1"], "IPv6 loopback"),
        (["fd00::5"], "IPv6 unique local"),
        (["fe80::1%eth0"], "IPv6 link local"),
        (["::ffff:127.0.0.1"], "IPv4-mapped loopback"),
        (["64:ff9b::a00:1"], "NAT64 of 10.0.0.1"),
        (["2002:a9fe:a9fe::1"], "6to4 of 169.254.169.254"),
        ([PUBLIC, "10.0.0.7"], "one public and one private answer"),
    ],
)
def test_a_host_with_a_non_public_address_is_refused_in_the_preview(
    client, manager, shop, network, addresses, why
):
    network.dns["images.example.com"] = addresses
    response = preview(client, as_csv([product_row(sku="PAN-9", images=URL)]))
    assert "points to a private or reserved network address" in only_error(response), why
    assert response.context.get("confirm_form") is None
    assert network.connections == []


@pytest.mark.parametrize(
    ("images", "message"),
    [
        ("http://169.254.169.254/latest/meta-data.png", "private or reserved network address"),
        ("http://[::1]/pan.png", "private or reserved network address"),
        ("ftp://images.example.com/pan.png", "only http and https addresses are downloaded"),
        ("file:///etc/passwd.png", "only http and https addresses are downloaded"),
        ("//images.example.com/pan.png", "only http and https addresses are downloaded"),
        ("https://user:secret@images.example.com/pan.png", "carries a user name or password"),
        ("https://images.example.com:8443/pan.png", "only the standard ports 80 and 443"),
        ("http://images.example.com:99999/pan.png", "is not a valid web address"),
        ("https://unknown.example.org/pan.png", "cannot be found: check the address"),
    ],
)
def test_addresses_that_are_not_allowed_are_refused_on_their_row(
    client, manager, shop, network, images, message
):
    response = preview(client, as_csv([product_row(sku="PAN-9", images=images)]))
    assert message in only_error(response)
    assert network.connections == []


def refused_at_confirm(client, network, answer) -> str:
    """A preview that passes, a download that fails: the whole import is refused and says
    which row and address, and nothing is left behind."""
    rows = [product_row(sku="OK-1", name="Fine"), product_row(sku="PAN-9", images=URL)]
    response = preview(client, as_csv(rows))
    assert response.context["confirm_form"] is not None
    network.answer = answer
    done = confirm(client, response)
    assert done.status_code == 302 and done.url == PRODUCTS + "import/"
    assert not Product.objects.filter(sku__in=["OK-1", "PAN-9"]).exists()
    assert not ProductImage.objects.exists() and stored_files() == []
    (message,) = [str(m) for m in done.wsgi_request._messages]
    assert "Nothing was imported" in message and f"Row 3: “{URL}”" in message
    return message


def raises(error):
    def answer(target):
        raise error

    return answer


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda t: FakeResponse(status=302), "the address redirects elsewhere"),
        (lambda t: FakeResponse(status=404), "answered with the error 404"),
        (lambda t: FakeResponse(body=b"<html>not a picture</html>"), "is not an image"),
        (lambda t: FakeResponse(body=png_bytes()[:60]), "is not an image"),
        (raises(TimeoutError("timed out")), "did not answer within 5 seconds"),
        (raises(ConnectionRefusedError()), "could not be downloaded"),
    ],
)
def test_a_download_that_fails_at_confirm_refuses_the_whole_import(
    client, manager, shop, network, answer, message
):
    assert message in refused_at_confirm(client, network, answer)


def test_an_image_past_the_size_cap_is_refused_and_not_read_further(
    client, manager, shop, network, settings
):
    settings.SHOP_IMPORT_IMAGE_MAX_BYTES = 1000
    read = []

    def endless(target):
        def chunks():
            while True:
                read.append(1)
                yield b"\0" * 400

        return FakeResponse(chunks=chunks())

    assert "is larger than 0.000953674 MB" in refused_at_confirm(client, network, endless)
    assert len(read) == 3  # stopped at the chunk that went past the cap


def test_a_failure_after_a_download_deletes_the_downloaded_file(client, manager, shop, network):
    rows = [
        product_row(sku="PAN-9", images=URL),
        product_row(sku="POT-9", images="https://images.example.com/broken.png"),
    ]
    response = preview(client, as_csv(rows))
    network.answer = lambda target: (
        FakeResponse(status=500) if "broken" in target.path else FakeResponse(body=png_bytes())
    )
    confirm(client, response)
    assert len(network.connections) == 2
    assert stored_files() == [] and not Product.objects.filter(sku="PAN-9").exists()


# --- the connection itself, against a server on 127.0.0.1 ----------------------------------------


class Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self):
        Recorder.seen.append((self.path, self.headers["Host"]))
        if self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "http://127.0.0.1/elsewhere.png")
            self.end_headers()
            return
        if self.path.startswith("/slow"):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(png_bytes()[:20])
            self.wfile.flush()
            time.sleep(1.5)
            return
        body = png_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_connection_goes_to_the_vetted_address_with_the_original_host_name(local_server):
    target = fetch.Target(
        "http://images.example.com/pan.png", "http", "images.example.com", local_server,
        "/pan.png", "127.0.0.1",
    )  # fmt: skip
    content, suffix = fetch.download(target)
    assert (content, suffix) == (png_bytes(), ".png")
    assert Recorder.seen == [("/pan.png", "images.example.com")]


def test_a_redirect_is_not_followed(local_server):
    target = fetch.Target(
        "http://images.example.com/moved", "http", "images.example.com", local_server,
        "/moved", "127.0.0.1",
    )  # fmt: skip
    with pytest.raises(ValueError, match="the address redirects elsewhere"):
        fetch.download(target)
    assert Recorder.seen == [("/moved", "images.example.com")]


def test_https_connects_to_the_vetted_address_and_checks_the_certificate_of_the_host(
    monkeypatch,
):
    opened = []

    def urlopen(pool, method, url, **kwargs):
        opened.append((pool._new_conn(), method, url, kwargs))
        return FakeResponse(body=png_bytes())

    monkeypatch.setattr(fetch.urllib3.HTTPSConnectionPool, "urlopen", urlopen)
    target = fetch.Target(URL, "https", "images.example.com", 443, "/pan.png", PUBLIC)
    fetch.open_response(target, 5)
    ((connection, method, url, kwargs),) = opened
    assert (connection.host, connection.port) == (PUBLIC, 443)
    assert connection.server_hostname == connection.assert_hostname == "images.example.com"
    assert connection.cert_reqs == ssl.CERT_REQUIRED
    assert (method, url, kwargs["redirect"]) == ("GET", "/pan.png", False)
    assert kwargs["headers"]["Host"] == "images.example.com"


def test_a_server_that_answers_too_slowly_is_given_up(local_server, settings):
    settings.SHOP_IMPORT_IMAGE_TIMEOUT = 0.3
    target = fetch.Target(
        "http://images.example.com/slow.png", "http", "images.example.com", local_server,
        "/slow.png", "127.0.0.1",
    )  # fmt: skip
    started = time.monotonic()
    with pytest.raises(ValueError, match="did not answer within 0.3 seconds"):
        fetch.download(target)
    assert time.monotonic() - started < 1.2
