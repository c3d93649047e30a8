#!/usr/bin/python3
"""A SAML 2.0 identity provider for tests, built on pysaml2 and xmlsec1 (never lasso).

It runs offline: every command prints the message an IdP would send, and tests hand it to the
service provider themselves. Keys and certificates are made on first use in the --dir directory
(the IdP's own pair and an attacker's pair for the "signed-by-other-key" variant).

  saml_idp.py metadata --dir D
  saml_idp.py response --dir D --sp-metadata F [--in-response-to ID] [--user alice]
      [--provider okta|azuread|google|auth0|keycloak|authentik|generic] [--attr name=value]...
      [--variant ok|ok-signed-response|unsigned|signed-by-other-key|wrong-audience|
       wrong-destination|wrong-recipient|expired|not-yet-valid|wrong-issuer|
       unknown-in-response-to|status-failure|second-assertion|moved-signed-element|
       comment-in-nameid]
      prints the base64 SAMLResponse of the HTTP-POST binding
  saml_idp.py decode --dir D --sp-metadata F URL
      parses a message the SP sent by HTTP-Redirect (AuthnRequest, LogoutRequest,
      LogoutResponse), checks its query signature with the SP metadata's certificate and prints
      JSON (id, type, issuer, destination, acs_url, in_response_to, name_id, session_indexes,
      status, relay_state, signature_verified)
  saml_idp.py logout-request --dir D --sp-metadata F --name-id X [--session-index S]
      [--binding redirect|post]    prints JSON {"id", "url"} (redirect) or {"id", "form"} (post)
  saml_idp.py logout-response --dir D --sp-metadata F --in-response-to ID [--status failure]
      prints JSON {"url"}: the signed HTTP-Redirect LogoutResponse to the SP's SLO endpoint
  saml_idp.py batch --dir D --sp-metadata F < commands.jsonl
      one JSON command per line ({"cmd": "response", "variant": ..., ...} with the option names
      above in snake_case), one JSON answer per line: {"ok": true, "value": ...} or
      {"ok": false, "error": ...}. pysaml2 is slow to start, so tests batch their messages.
"""

import argparse
import base64
import datetime
import json
import os
import re
import shutil
import sys
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
import zlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2 import samlp
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_UNSPECIFIED, NameID
from saml2.server import Server
from saml2.sigver import pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ENTITY_ID = "https://idp.test/saml/metadata"
SSO_URL = "https://idp.test/saml/sso"
SLO_URL = "https://idp.test/saml/slo"
EVIL = "https://evil.test/saml"

NS = {
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# The attribute names each provider sends (its documentation's defaults), written down here on
# their own so that the SP's presets are checked against an independent list.
XMLSOAP = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
PROVIDERS = {
    "okta": {"username": XMLSOAP + "name", "email": XMLSOAP + "emailaddress",
             "first": XMLSOAP + "givenname", "last": XMLSOAP + "surname", "groups": "groups"},
    "azuread": {"username": XMLSOAP + "name", "email": XMLSOAP + "emailaddress",
                "first": XMLSOAP + "givenname", "last": XMLSOAP + "surname",
                "groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"},
    # Google sends the email address as the username, so it comes first.
    "google": {"email": "email", "username": "email", "first": "firstName",
               "last": "lastName", "groups": "groups"},
    "auth0": {"username": XMLSOAP + "name", "email": XMLSOAP + "emailaddress",
              "first": XMLSOAP + "givenname", "last": XMLSOAP + "surname", "groups": "groups"},
    "keycloak": {"username": "username", "email": "email", "first": "firstName",
                 "last": "lastName", "groups": "groups"},
    # authentik sends the full name in one claim.
    "authentik": {"username": "http://schemas.goauthentik.io/2021/02/saml/username",
                  "email": XMLSOAP + "emailaddress", "name": XMLSOAP + "name",
                  "groups": "http://schemas.xmlsoap.org/claims/Group"},
    "generic": {"username": "username", "email": "email", "first": "firstName",
                "last": "lastName", "groups": "groups"},
}


def make_pair(directory, name):
    key_path = os.path.join(directory, name + ".key")
    cert_path = os.path.join(directory, name + ".crt")
    if os.path.exists(key_path) and os.path.exists(cert_path):
        return key_path, cert_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name + ".test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    with open(key_path, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()))
    with open(cert_path, "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def cert_body(cert_path):
    with open(cert_path) as pem:
        return "".join(line.strip() for line in pem if not line.startswith("-----"))


class Idp:
    """The pysaml2 Server and the files it works from."""

    def __init__(self, directory, sp_metadata=None):
        os.makedirs(directory, exist_ok=True)
        self.key, self.cert = make_pair(directory, "idp")
        self.other_key, self.other_cert = make_pair(directory, "other")
        settings = {
            "entityid": ENTITY_ID,
            "key_file": self.key,
            "cert_file": self.cert,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "delete_tmpfiles": True,
            "service": {"idp": {
                "endpoints": {
                    "single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT),
                                               (SSO_URL, BINDING_HTTP_POST)],
                    "single_logout_service": [(SLO_URL, BINDING_HTTP_REDIRECT),
                                              (SLO_URL, BINDING_HTTP_POST)],
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_UNSPECIFIED],
                "policy": {"default": {"lifetime": {"minutes": 15}}},
                "sign_response": False,
                "sign_assertion": False,
            }},
        }
        if sp_metadata:
            settings["metadata"] = {"local": [sp_metadata]}
        config = IdPConfig()
        config.load(settings)
        self.config = config
        self.server = Server(config=config)
        self.sp = self._sp(sp_metadata) if sp_metadata else None

    def _sp(self, path):
        root = ET.parse(path).getroot()
        sp = {"entity_id": root.get("entityID")}
        for tag, key in (("md:AssertionConsumerService", "acs"),
                         ("md:SingleLogoutService", "slo")):
            for endpoint in root.iter("{%s}%s" % (NS["md"], tag.split(":")[1])):
                sp.setdefault(key, endpoint.get("Location"))
        cert = root.find(".//md:KeyDescriptor//ds:X509Certificate", NS)
        sp["cert"] = "".join(cert.text.split()) if cert is not None else None
        return sp


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def attributes_for(args):
    """(name, [values]) pairs: the provider's claims for the user plus --attr pairs."""
    user = args.get("user") or "alice"
    names = PROVIDERS[args.get("provider") or "generic"]
    local = user.split("@")[0]
    email = user if "@" in user else user + "@example.com"
    values = {"username": [local], "email": [email], "first": [local.capitalize()],
              "last": ["Liddell"], "name": [local.capitalize() + " Liddell"],
              "groups": args.get("groups") or ["eng", "ops"]}
    pairs = []
    for field, name in names.items():
        existing = [p for p in pairs if p[0] == name]
        if not existing:
            pairs.append((name, list(values[field])))
    for item in args.get("attr") or []:
        name, _, value = item.partition("=")
        for pair in pairs:
            if pair[0] == name:
                pair[1].append(value)
                break
        else:
            pairs.append((name, [value]))
    return pairs


def attribute_statement(pairs):
    statement = ET.Element("{%s}AttributeStatement" % NS["saml"])
    for name, values in pairs:
        attribute = ET.SubElement(statement, "{%s}Attribute" % NS["saml"], {
            "Name": name,
            "NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"})
        for value in values:
            element = ET.SubElement(attribute, "{%s}AttributeValue" % NS["saml"],
                                    {"{%s}type" % NS["xsi"]: "xs:string"})
            element.text = value
    return statement


def insert_signature(element, ident, cert_path):
    """Puts a signature template right after the element's Issuer, as the schema orders it."""
    template = pre_signature_part(ident=ident, public_key=cert_body(cert_path),
                                  sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    node = ET.fromstring(str(template))
    issuer = element.find("saml:Issuer", NS)
    position = list(element).index(issuer) + 1 if issuer is not None else 0
    element.insert(position, node)


def serialize(root):
    text = ET.tostring(root, encoding="unicode")
    # ElementTree declares only the namespaces it uses in names; xsi:type values name xs too.
    if 'xmlns:xs="' not in text:
        text = text.replace("<samlp:Response ", '<samlp:Response xmlns:xs="%s" ' % NS["xs"], 1)
    return text


def sign(idp, xml, tag, ident, other_key=False):
    key = idp.other_key if other_key else idp.key
    return idp.server.sec.sign_statement(xml, "urn:oasis:names:tc:SAML:2.0:%s:%s" % (
        "assertion" if tag == "Assertion" else "protocol", tag), key_file=key, node_id=ident)


def make_response(idp, args):
    variant = args.get("variant") or "ok"
    sp = idp.sp
    user = args.get("user") or "alice"
    name_id_text = user if "@" in user else user + "@example.com"
    if variant == "comment-in-nameid":
        name_id_text = "admin@example.com.evil.test"
    in_response_to = args.get("in_response_to")
    if variant == "unknown-in-response-to":
        in_response_to = "_" + uuid.uuid4().hex
    response = idp.server.create_authn_response(
        identity={}, in_response_to=in_response_to, destination=sp["acs"],
        sp_entity_id=sp["entity_id"],
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=name_id_text),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_response=False, sign_assertion=False)
    root = ET.fromstring(str(response))
    assertion = root.find("saml:Assertion", NS)
    for old in assertion.findall("saml:AttributeStatement", NS):
        assertion.remove(old)
    assertion.append(attribute_statement(attributes_for(args)))
    if args.get("session_index"):
        assertion.find(".//saml:AuthnStatement", NS).set("SessionIndex", args["session_index"])

    confirmation = assertion.find(".//saml:SubjectConfirmationData", NS)
    conditions = assertion.find("saml:Conditions", NS)
    if variant == "wrong-audience":
        assertion.find(".//saml:Audience", NS).text = EVIL + "/other-sp"
    elif variant == "wrong-destination":
        root.set("Destination", EVIL + "/acs")
    elif variant == "wrong-recipient":
        confirmation.set("Recipient", EVIL + "/acs")
    elif variant in ("expired", "not-yet-valid"):
        shift = datetime.timedelta(minutes=-30 if variant == "expired" else 30)
        start, end = now_utc() + shift, now_utc() + shift + datetime.timedelta(minutes=5)
        conditions.set("NotBefore", instant(start))
        conditions.set("NotOnOrAfter", instant(end))
        confirmation.set("NotOnOrAfter", instant(end))
    elif variant == "wrong-issuer":
        for issuer in root.iter("{%s}Issuer" % NS["saml"]):
            issuer.text = EVIL + "/idp"
    elif variant == "status-failure":
        root.remove(assertion)
        status_code = root.find("samlp:Status/samlp:StatusCode", NS)
        status_code.set("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
        ET.SubElement(status_code, "{%s}StatusCode" % NS["samlp"],
                      {"Value": "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"})

    response_id, assertion_id = root.get("ID"), assertion.get("ID")
    if variant in ("ok-signed-response", "status-failure"):
        insert_signature(root, response_id, idp.cert)
        return sign(idp, serialize(root), "Response", response_id)
    if variant == "unsigned":
        return serialize(root)
    other = variant == "signed-by-other-key"
    insert_signature(assertion, assertion_id, idp.other_cert if other else idp.cert)
    xml = sign(idp, serialize(root), "Assertion", assertion_id, other_key=other)
    return tamper(xml, variant)


def tamper(xml, variant):
    """Attacks on a signed response, made on its text after signing, as an attacker would."""
    if variant == "comment-in-nameid":
        return xml.replace("admin@example.com.evil.test", "admin@example.com<!---->.evil.test", 1)
    if variant not in ("second-assertion", "moved-signed-element"):
        return xml
    match = re.search(r"<saml:Assertion\b.*?</saml:Assertion>", xml, re.S)
    signed = match.group(0)
    evil = re.sub(r"<ds:Signature\b.*?</ds:Signature>", "", signed, flags=re.S)
    evil = re.sub(r'(<saml:Assertion\b[^>]*?\bID=")[^"]*', r"\1_evil" + uuid.uuid4().hex, evil, 1)
    evil = re.sub(r"(<saml:NameID\b[^>]*>)[^<]*", r"\1admin@example.com", evil, 1)
    if variant == "second-assertion":
        return xml[:match.start()] + evil + signed + xml[match.end():]
    # The signed assertion hides in the Response's Extensions; the evil one takes its place.
    without = xml[:match.start()] + evil + xml[match.end():]
    issuer_end = without.index("</saml:Issuer>") + len("</saml:Issuer>")
    return (without[:issuer_end] + "<samlp:Extensions>" + signed + "</samlp:Extensions>"
            + without[issuer_end:])


def cmd_metadata(idp, _args):
    return create_metadata_string(None, config=idp.config, sign=False).decode()


def cmd_response(idp, args):
    return base64.b64encode(make_response(idp, args).encode()).decode()


def verify_query_signature(query, cert_body_b64):
    """The HTTP-Redirect signature (SAML bindings 3.4.4.1): over the parameters exactly as they
    were encoded on the wire, in the order SAMLRequest|SAMLResponse, RelayState, SigAlg."""
    raw = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    kind = "SAMLRequest" if "SAMLRequest" in raw else "SAMLResponse"
    signed = "&".join("%s=%s" % (name, raw[name])
                      for name in (kind, "RelayState", "SigAlg") if name in raw)
    algorithm = urllib.parse.unquote_plus(raw["SigAlg"])
    digest = {SIG_RSA_SHA256: hashes.SHA256(),
              "http://www.w3.org/2000/09/xmldsig#rsa-sha1": hashes.SHA1()}.get(algorithm)
    if digest is None:
        return False
    cert = x509.load_der_x509_certificate(base64.b64decode(cert_body_b64))
    try:
        cert.public_key().verify(base64.b64decode(urllib.parse.unquote_plus(raw["Signature"])),
                                 signed.encode(), padding.PKCS1v15(), digest)
        return True
    except InvalidSignature:
        return False


def cmd_decode(idp, args):
    query = urllib.parse.urlsplit(args["url"]).query
    fields = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    kind = "SAMLRequest" if "SAMLRequest" in fields else "SAMLResponse"
    xml = zlib.decompress(base64.b64decode(fields[kind]), -15).decode()
    verified = "Signature" in fields and verify_query_signature(query, idp.sp["cert"])
    root = ET.fromstring(xml)
    issuer = root.find("saml:Issuer", NS)
    status = root.find("samlp:Status/samlp:StatusCode", NS)
    name_id = root.find("saml:NameID", NS)
    return {
        "type": root.tag.split("}")[1],
        "id": root.get("ID"),
        "issuer": issuer.text if issuer is not None else None,
        "destination": root.get("Destination"),
        "acs_url": root.get("AssertionConsumerServiceURL"),
        "protocol_binding": root.get("ProtocolBinding"),
        "in_response_to": root.get("InResponseTo"),
        "name_id": name_id.text if name_id is not None else None,
        "session_indexes": [e.text for e in root.findall("samlp:SessionIndex", NS)],
        "status": status.get("Value") if status is not None else None,
        "relay_state": fields.get("RelayState"),
        "signature_verified": verified,
    }


def cmd_logout_request(idp, args):
    request_id = "_" + uuid.uuid4().hex
    request = idp.server.create_logout_request(
        destination=idp.sp["slo"], issuer_entity_id=idp.sp["entity_id"],
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=args["name_id"]),
        session_indexes=[args["session_index"]] if args.get("session_index") else None,
        message_id=request_id, sign=False)
    if isinstance(request, tuple):
        request = request[1]
    if (args.get("binding") or "redirect") == "redirect":
        info = idp.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), idp.sp["slo"],
                                        relay_state=args.get("relay_state") or "",
                                        sign=True, sigalg=SIG_RSA_SHA256)
        return {"id": request_id, "url": dict(info["headers"])["Location"]}
    root = ET.fromstring(str(request))
    insert_signature(root, request_id, idp.cert)
    xml = idp.server.sec.sign_statement(
        ET.tostring(root, encoding="unicode"),
        "urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest", key_file=idp.key,
        node_id=request_id)
    return {"id": request_id, "form": base64.b64encode(xml.encode()).decode()}


def cmd_logout_response(idp, args):
    status = None
    if args.get("status") == "failure":
        status = samlp.Status(status_code=samlp.StatusCode(
            value="urn:oasis:names:tc:SAML:2.0:status:Responder"))
    response = samlp.LogoutResponse(
        id="_" + uuid.uuid4().hex, version="2.0", issue_instant=instant(now_utc()),
        destination=idp.sp["slo"], in_response_to=args["in_response_to"],
        issuer=idp.server._issuer(),
        status=status or samlp.Status(status_code=samlp.StatusCode(
            value="urn:oasis:names:tc:SAML:2.0:status:Success")))
    info = idp.server.apply_binding(BINDING_HTTP_REDIRECT, str(response), idp.sp["slo"],
                                    relay_state=args.get("relay_state") or "", response=True,
                                    sign=True, sigalg=SIG_RSA_SHA256)
    return {"url": dict(info["headers"])["Location"]}


COMMANDS = {
    "metadata": cmd_metadata,
    "response": cmd_response,
    "decode": cmd_decode,
    "logout-request": cmd_logout_request,
    "logout-response": cmd_logout_response,
}


def run_batch(idp):
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            command = json.loads(line)
            value = COMMANDS[command.pop("cmd")](idp, command)
            answer = {"ok": True, "value": value}
        except Exception as error:  # one bad command must not end the batch
            answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        print(json.dumps(answer), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=sorted(COMMANDS) + ["batch"])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--sp-metadata")
    parser.add_argument("--in-response-to")
    parser.add_argument("--user")
    parser.add_argument("--provider", choices=sorted(PROVIDERS))
    parser.add_argument("--attr", action="append")
    parser.add_argument("--variant")
    parser.add_argument("--session-index")
    parser.add_argument("--name-id")
    parser.add_argument("--binding", choices=["redirect", "post"])
    parser.add_argument("--relay-state")
    parser.add_argument("--status", choices=["success", "failure"])
    options = parser.parse_args()
    idp = Idp(options.dir, options.sp_metadata)
    if options.command == "batch":
        run_batch(idp)
        return
    args = {k: v for k, v in vars(options).items() if v is not None}
    value = COMMANDS[options.command](idp, args)
    print(value if isinstance(value, str) else json.dumps(value, indent=2))


if __name__ == "__main__":
    main()
