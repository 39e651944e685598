"""Client assertions: certificate credentials of the fake Entra ID (client-credentials grant with
``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer``).

An app registration may carry a certificate (its public part). A token request then sends a JWT
signed with the certificate's private key, whose header names the certificate by thumbprint
(``x5t`` = SHA-1, or ``x5t#S256`` = SHA-256, base64url) and whose claims have ``iss`` = ``sub`` =
the client id and ``aud`` = the token endpoint URL. RS256 and PS256 signatures are checked with
``cryptography``. The expiry claim is not checked: the emulator never reads the wall clock and its
own clock need not match the client's.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class InvalidAssertion(Exception):
    """The assertion is malformed, names an unknown certificate, or its signature is wrong
    (the message is an AADSTS-style description)."""


def load_certificate(pem: str | bytes) -> x509.Certificate:
    """The first certificate of a PEM text (private key blocks in the same text are ignored)."""
    data = pem.encode() if isinstance(pem, str) else pem
    return x509.load_pem_x509_certificate(data)


def thumbprints(certificate: x509.Certificate) -> dict[str, str]:
    """``{"x5t": …, "x5t#S256": …}``: the base64url thumbprints a JWT header may carry."""
    return {
        "x5t": _b64(certificate.fingerprint(hashes.SHA1())),  # x5t is SHA-1 by definition
        "x5t#S256": _b64(certificate.fingerprint(hashes.SHA256())),
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims_of(assertion: str) -> tuple[dict, dict]:
    """``(header, claims)`` of a JWT, unverified."""
    try:
        head, body, _ = assertion.split(".")
        return json.loads(_unb64(head)), json.loads(_unb64(body))
    except (ValueError, TypeError) as exc:
        raise InvalidAssertion("AADSTS50027: JWT token is invalid or malformed.") from exc


def verify(assertion: str, certificate: Any, audience: str, client_id: str) -> None:
    """Check an assertion against the app's certificate; raises :class:`InvalidAssertion`."""
    header, claims = claims_of(assertion)
    prints = thumbprints(certificate)
    named = [k for k in ("x5t#S256", "x5t") if header.get(k)]
    # msal keeps the base64 padding of the thumbprint, other clients drop it
    if not named or any(str(header[k]).rstrip("=") != prints[k] for k in named):
        raise InvalidAssertion(
            "AADSTS700027: The certificate with identifier used to sign the client assertion is "
            "not registered on application."
        )
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        raise InvalidAssertion("AADSTS700021: Client assertion issuer or subject is invalid.")
    if claims.get("aud") != audience:
        raise InvalidAssertion(f"AADSTS700016: Client assertion audience is not {audience}.")
    head, body, signature = assertion.split(".")
    signed = f"{head}.{body}".encode()
    algorithm = header.get("alg")
    if algorithm == "RS256":
        pad: Any = padding.PKCS1v15()
    elif algorithm == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise InvalidAssertion(f"AADSTS5002730: Unsupported assertion algorithm {algorithm!r}.")
    try:
        certificate.public_key().verify(_unb64(signature), signed, pad, hashes.SHA256())
    except (InvalidSignature, ValueError) as exc:
        raise InvalidAssertion(
            "AADSTS700027: Client assertion contains an invalid signature."
        ) from exc
