"""Certificate credentials for the client-credentials flow (§B2: "a client secret or
certificate"; issue 12 item 6).

``relcore d365 setup --certificate FILE.pem [--certificate-password-env VAR]`` stores only the
file's path and the *name* of the variable holding the key's password. The private key is read
from the file each time a connection opens (:func:`load_credential`), decrypted in memory, held
in a :class:`~.auth.Secret` that never prints, and handed to msal as ``client_credential`` =
``{"private_key", "thumbprint"}`` (msal signs an RS256 client assertion naming the
certificate by its SHA-1 thumbprint). For an ``http://`` loopback authority (the emulator), which
msal refuses, :func:`client_assertion` signs the same assertion with PyJWT.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from relcore.errors import ConfigError
from relcore_d365sales.auth import Secret

_KEY_BLOCK = re.compile(
    r"-----BEGIN (?P<kind>(?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----.+?-----END (?P=kind)-----",
    re.DOTALL,
)
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def certificate_info(path: str) -> dict[str, str]:
    """Check a PEM file holds a certificate and a private key, without reading the key.

    :returns: ``path`` (absolute), ``thumbprint`` (SHA-1, hex, upper case — the value the Azure
        portal shows), ``subject`` and ``not_after`` of the certificate.
    :raises ConfigError: missing file, no certificate, or no private key block.
    """
    from cryptography import x509

    file = Path(path).expanduser().resolve()
    text = _read(file)
    try:
        certificate = x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise ConfigError(f"certificate file {file}: no PEM certificate in it") from None
    if not _KEY_BLOCK.search(text):
        raise ConfigError(
            f"certificate file {file}: no private key in it (put the PEM private key and the "
            "certificate in one file)"
        )
    return {
        "path": str(file),
        "thumbprint": _sha1(certificate).upper(),
        "subject": certificate.subject.rfc4514_string(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
    }


def load_credential(path: str, password_env: str | None, environ: Mapping[str, str]) -> Secret:
    """Read the key and certificate when a connection opens; the msal ``client_credential``
    dict inside a :class:`Secret`.

    :raises ConfigError: the file or key cannot be read, or the password variable is not set;
        the message never contains key material.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    file = Path(path)
    text = _read(file)
    password = None
    if password_env:
        password = environ.get(password_env)
        if not password:
            raise ConfigError(
                f"certificate file {file}: the key's password variable {password_env} is not set"
            )
    match = _KEY_BLOCK.search(text)
    if match is None:
        raise ConfigError(f"certificate file {file}: no private key in it")
    try:
        certificate = x509.load_pem_x509_certificate(text.encode())
        key = serialization.load_pem_private_key(
            match.group(0).encode(), password.encode() if password else None
        )
    except (ValueError, TypeError):
        raise ConfigError(
            f"certificate file {file}: the private key cannot be read (wrong or missing password"
            + (f" in {password_env})" if password_env else "; use --certificate-password-env)")
        ) from None
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(
            f"certificate file {file}: the private key is not an RSA key (Entra ID signs client "
            "assertions with RSA keys only)"
        )
    # msal gets the key decrypted (in memory only): its own passphrase path hands PyJWT a key
    # object, which current PyJWT refuses.
    unlocked = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return Secret({"private_key": unlocked, "thumbprint": _sha1(certificate)})


def client_assertion(credential: Secret, client_id: str, token_endpoint: str) -> str:
    """An RS256 client assertion (what msal builds for ``{"private_key", "thumbprint"}``)."""
    import jwt

    values: dict[str, Any] = credential.reveal()
    now = int(time.time())
    x5t = base64.urlsafe_b64encode(bytes.fromhex(values["thumbprint"])).rstrip(b"=").decode()
    return jwt.encode(
        {
            "aud": token_endpoint,
            "iss": client_id,
            "sub": client_id,
            "jti": str(uuid.uuid4()),
            "nbf": now,
            "exp": now + 600,
        },
        values["private_key"],
        algorithm="RS256",
        headers={"x5t": x5t},
    )


def _sha1(certificate: Any) -> str:
    from cryptography.hazmat.primitives import hashes

    return certificate.fingerprint(hashes.SHA1()).hex()


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a PEM file"
        raise ConfigError(f"certificate file {file}: {reason}") from None
