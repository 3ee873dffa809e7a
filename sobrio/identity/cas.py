"""CAS 3.0 with python-cas: the login address, the ticket validated by the server's
p3/serviceValidate (with the person's attributes), and the logout address."""

import requests
from cas import CASClientV3

TIMEOUT = 10  # seconds: a CAS server that does not answer does not hold a worker


class _Session(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def client(provider, service_url):
    server = provider.url if provider.url.endswith("/") else provider.url + "/"
    return CASClientV3(service_url=service_url, server_url=server, session=_Session())


def login_url(provider, service_url):
    return client(provider, service_url).get_login_url()


def validate(provider, service_url, ticket):
    """(user, attributes) the server vouches for, or (None, {}) when it refuses."""
    user, attributes, _pgtiou = client(provider, service_url).verify_ticket(ticket)
    return user, attributes or {}


def logout_url(provider, return_url):
    return client(provider, return_url).get_logout_url(return_url)
