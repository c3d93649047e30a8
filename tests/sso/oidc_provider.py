#!/usr/bin/python3
"""A small, independent OpenID provider for StreamSpace's OIDC relying-party tests.

Run (Debian's python3 with python3-cryptography; nothing from pip):

    tests/sso/oidc_provider.py --port 0 --issuer http://127.0.0.1:PORT \
        --client-id streamspace --client-secret s3cret [--alg RS256|ES256]

It serves, under the issuer's path:
  /.well-known/openid-configuration   discovery
  /jwks                               the current signing key only
  /authorize                          no login page: signs in the user named by `login_hint`
                                      (or the default user) and answers 302 to redirect_uri
                                      with code and state
  /token                              authorization_code grant: client_secret_basic, a code used
                                      once, the same redirect_uri, the PKCE S256 verifier;
                                      answers id_token and access_token
  /control (POST, JSON, tests only)   {"rotate": true} new key with a new kid, the old one
                                      leaves the JWKS;
                                      {"user": {"username", "email", "name", "groups"}} the
                                      default user's claims;
                                      {"misbehave": KIND} the next ID token is wrong: KIND is one
                                      of wrong_nonce, wrong_issuer, wrong_audience, expired,
                                      unknown_key (signed by a key with a kid not in the JWKS),
                                      bad_signature (another key under the current kid),
                                      alg_none, hs256_public_key (HS256 keyed with the PEM of
                                      the public key); {"misbehave": null} clears it.
                                      Answers {"kid": <current kid>}.

When listening it prints "oidc_provider ready on port <port>" on stdout; SIGTERM stops it.
The ID tokens are built and signed here with python3-cryptography directly (not with the
library under test), so that the misbehaving tokens are exactly what the tests ask for.
"""

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

CODE_LIFETIME = 60
ID_TOKEN_LIFETIME = 300
MISBEHAVIOURS = {"wrong_nonce", "wrong_issuer", "wrong_audience", "expired", "unknown_key",
                 "bad_signature", "alg_none", "hs256_public_key"}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def uint_bytes(value, size=None):
    size = size or max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(size, "big")


class Key:
    """A signing key pair with its kid, able to sign JWS and to describe itself as a JWK."""

    def __init__(self, alg, kid=None):
        self.alg = alg
        self.kid = kid or secrets.token_hex(8)
        if alg == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())

    def jwk(self):
        numbers = self.private.public_key().public_numbers()
        if self.alg == "RS256":
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                    "n": b64url(uint_bytes(numbers.n)), "e": b64url(uint_bytes(numbers.e))}
        return {"kty": "EC", "kid": self.kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                "x": b64url(uint_bytes(numbers.x, 32)), "y": b64url(uint_bytes(numbers.y, 32))}

    def public_pem(self):
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data):
        if self.alg == "RS256":
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
        return uint_bytes(r, 32) + uint_bytes(s, 32)


def compact_jws(header, claims, sign):
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode("ascii")
    return signing_input.decode("ascii") + "." + b64url(sign(signing_input))


class Provider:
    """The provider's state: keys, users, issued codes and the next misbehaviour."""

    def __init__(self, issuer, client_id, client_secret, alg):
        self.issuer = issuer
        self.base = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.alg = alg
        self.lock = threading.Lock()
        self.key = Key(alg)
        self.users = {}
        self.default_user = self.set_user({"username": "alice"})
        self.codes = {}
        self.misbehave = None

    def set_user(self, claims):
        username = str(claims.get("username", "alice"))
        user = {"username": username,
                "email": claims.get("email", username + "@example.com"),
                "name": claims.get("name", username.capitalize()),
                "groups": claims.get("groups", [])}
        self.users[username] = user
        return username

    def user(self, login_hint):
        name = login_hint or self.default_user
        return self.users.get(name) or self.users[self.set_user({"username": name})]

    def discovery(self):
        return {"issuer": self.issuer,
                "authorization_endpoint": self.base + "/authorize",
                "token_endpoint": self.base + "/token",
                "jwks_uri": self.base + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [self.alg],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "scopes_supported": ["openid", "email", "profile"]}

    def id_token(self, user, nonce):
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "sub-" + user["username"], "aud": self.client_id,
                  "nonce": nonce, "iat": now, "exp": now + ID_TOKEN_LIFETIME, "auth_time": now,
                  "preferred_username": user["username"], "email": user["email"],
                  "name": user["name"], "groups": user["groups"]}
        with self.lock:
            kind, self.misbehave = self.misbehave, None
            key = self.key
        header = {"alg": key.alg, "kid": key.kid, "typ": "JWT"}
        sign = key.sign
        if kind == "wrong_nonce":
            claims["nonce"] = "not-" + nonce
        elif kind == "wrong_issuer":
            claims["iss"] = "http://issuer.invalid"
        elif kind == "wrong_audience":
            claims["aud"] = "another-client"
        elif kind == "expired":
            claims["iat"], claims["exp"] = now - 2 * ID_TOKEN_LIFETIME, now - ID_TOKEN_LIFETIME
        elif kind == "unknown_key":
            stranger = Key(self.alg, "stranger-" + secrets.token_hex(4))
            header["kid"], sign = stranger.kid, stranger.sign
        elif kind == "bad_signature":
            sign = Key(self.alg).sign
        elif kind == "alg_none":
            header["alg"], sign = "none", lambda data: b""
        elif kind == "hs256_public_key":
            pem = key.public_pem()
            header["alg"] = "HS256"
            sign = lambda data: hmac.new(pem, data, hashlib.sha256).digest()
        return compact_jws(header, claims, sign)


class Handler(BaseHTTPRequestHandler):
    server_version = "oidc-test-provider/1"
    provider = None
    prefix = ""

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's signature)
        # The path only: queries carry codes and states.
        sys.stderr.write("%s %s\n" % (self.command, self.path.split("?")[0]))

    def send(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        path, _, query = self.path.partition("?")
        if not path.startswith(self.prefix):
            return None, {}
        return path[len(self.prefix):], dict(urllib.parse.parse_qsl(query))

    def do_GET(self):
        path, query = self.route()
        if path == "/.well-known/openid-configuration":
            self.send(200, self.provider.discovery())
        elif path == "/jwks":
            with self.provider.lock:
                self.send(200, {"keys": [self.provider.key.jwk()]})
        elif path == "/authorize":
            self.authorize(query)
        else:
            self.send(404, {"error": "not_found"})

    def do_POST(self):
        path, _ = self.route()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == "/token":
            self.token(dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"))))
        elif path == "/control":
            self.control(body)
        else:
            self.send(404, {"error": "not_found"})

    def authorize(self, query):
        provider = self.provider
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != provider.client_id or not redirect_uri:
            self.send(400, b"unknown client or no redirect_uri", "text/plain")
            return
        back = {"state": query["state"]} if "state" in query else {}
        problem = None
        if query.get("response_type") != "code":
            problem = "unsupported_response_type"
        elif "openid" not in query.get("scope", "").split():
            problem = "invalid_scope"
        elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problem = "invalid_request"
        if problem:
            back["error"] = problem
        else:
            code = secrets.token_urlsafe(24)
            with provider.lock:
                provider.codes[code] = {
                    "redirect_uri": redirect_uri, "challenge": query["code_challenge"],
                    "nonce": query.get("nonce", ""), "user": provider.user(query.get("login_hint")),
                    "expires": time.time() + CODE_LIFETIME}
            back["code"] = code
        separator = "&" if "?" in redirect_uri else "?"
        self.send(302, b"", "text/plain",
                  {"Location": redirect_uri + separator + urllib.parse.urlencode(back)})

    def client_authenticated(self):
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except ValueError:
            return False
        client_id, _, secret = decoded.partition(":")
        return (hmac.compare_digest(urllib.parse.unquote_plus(client_id), self.provider.client_id)
                and hmac.compare_digest(urllib.parse.unquote_plus(secret).encode(),
                                        self.provider.client_secret.encode()))

    def token(self, form):
        provider = self.provider
        if not self.client_authenticated():
            self.send(401, {"error": "invalid_client"}, headers={"WWW-Authenticate": "Basic"})
            return
        if form.get("grant_type") != "authorization_code":
            self.send(400, {"error": "unsupported_grant_type"})
            return
        with provider.lock:
            # Single use: the code is gone whatever the outcome.
            grant = provider.codes.pop(form.get("code", ""), None)
        if grant is None or grant["expires"] < time.time():
            self.send(400, {"error": "invalid_grant", "error_description": "unknown or used code"})
            return
        if form.get("redirect_uri") != grant["redirect_uri"]:
            self.send(400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
            return
        verifier = form.get("code_verifier", "")
        challenge = b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
        if not 43 <= len(verifier) <= 128 or not hmac.compare_digest(challenge,
                                                                     grant["challenge"]):
            self.send(400, {"error": "invalid_grant", "error_description": "PKCE verifier mismatch"})
            return
        self.send(200, {"access_token": secrets.token_urlsafe(32), "token_type": "Bearer",
                        "expires_in": ID_TOKEN_LIFETIME,
                        "id_token": provider.id_token(grant["user"], grant["nonce"])})

    def control(self, body):
        provider = self.provider
        try:
            command = json.loads(body or b"{}")
        except ValueError:
            self.send(400, {"error": "body is not JSON"})
            return
        kind = command.get("misbehave")
        if kind is not None and kind not in MISBEHAVIOURS:
            self.send(400, {"error": "unknown misbehaviour", "known": sorted(MISBEHAVIOURS)})
            return
        with provider.lock:
            if command.get("rotate"):
                provider.key = Key(provider.alg)
            if "user" in command:
                provider.default_user = provider.set_user(command["user"])
            if "misbehave" in command:
                provider.misbehave = kind
            self.send(200, {"kid": provider.key.kid})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="0 picks a free port")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--alg", choices=["RS256", "ES256"], default="RS256")
    args = parser.parse_args()

    Handler.provider = Provider(args.issuer, args.client_id, args.client_secret, args.alg)
    Handler.prefix = urllib.parse.urlsplit(args.issuer).path.rstrip("/")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM,
                  lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print("oidc_provider ready on port %d" % server.server_address[1], flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
