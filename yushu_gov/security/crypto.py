"""Encryption at rest and keyed hashes, with the Chinese national algorithms (国密).

- Personal data (citizen ID and mobile numbers, TOTP secrets) is encrypted with SM4-GCM (GB/T 32907, an
  authenticated cipher: a changed byte fails to decrypt instead of decrypting to something else). Each value
  is bound to its column (the column's name is the associated data), so a value copied into another column
  does not decrypt there.
- Uniqueness and exact look-up use a keyed hash (HMAC-SM3, GB/T 32905) of the normalised value, in a column
  of its own: equal values have equal hashes, and nobody without the key can test a guess against them.
- Both keys are derived (HKDF-SM3) from a master key of `PERSONAL_DATA_KEYS`. The first master key encrypts
  and hashes; the others are older keys that still decrypt and look up until `manage.py
  rotate_personal_data_key` has re-encrypted every row with the first one.
- The audit log's chain uses HMAC-SM3 with a key derived from `AUDIT_CHAIN_KEY` (yushu_gov/audit/log.py).

Keys come from the environment (settings.py); with DEBUG on and none set, fixed development keys are used,
and with DEBUG off the application refuses to start without them.

A stored value reads `sm4gcm:<key id>:<base64 of nonce, ciphertext and tag>`; the key id is 8 hex digits of
a hash of the master key, which tells the rotation which rows are left to do.
"""

import base64
import binascii
import functools
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ALGORITHM = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
MIN_MASTER_KEY_BYTES = 32

# Used only with DEBUG on and no key in the environment (settings.py refuses them with DEBUG off).
DEVELOPMENT_PERSONAL_DATA_KEY = "ZGV2ZWxvcG1lbnQta2V5LW9ubHktZm9yLW1ha2UtcnVuLW5ldmVyLXVzZS1pbi1wcm9kdWN0aW9u"
DEVELOPMENT_AUDIT_CHAIN_KEY = "ZGV2ZWxvcG1lbnQtYXVkaXQtY2hhaW4ta2V5LW9ubHktZm9yLW1ha2UtcnVuLW5vdC1wcm9kdWN0aW9u"


class DecryptionError(Exception):
    """A stored value that does not decrypt: altered, from another column, or under an unknown key."""


def parse_master_key(text: str) -> bytes:
    """A master key as written in the environment: base64 (standard or URL-safe) of at least 32 random bytes.
    Raises ValueError for anything else."""
    text = (text or "").strip()
    try:
        raw = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc
    if len(raw) < MIN_MASTER_KEY_BYTES:
        raise ValueError(f"shorter than {MIN_MASTER_KEY_BYTES} bytes")
    return raw


def generate_master_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(MIN_MASTER_KEY_BYTES)).decode().rstrip("=")


def _derive(master: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=b"yushu:" + purpose).derive(master)


@dataclass(frozen=True)
class Key:
    id: str  # 8 hex digits naming the master key in stored values
    encryption: bytes  # SM4: 128 bits
    mac: bytes  # HMAC-SM3


@functools.lru_cache(maxsize=8)
def _keyring(texts: tuple[str, ...]) -> tuple[Key, ...]:
    ring = []
    for text in texts:
        master = parse_master_key(text)
        ring.append(
            Key(
                id=hashlib.sha256(b"yushu:key-id:" + master).hexdigest()[:8],
                encryption=_derive(master, b"personal-data:sm4", 16),
                mac=_derive(master, b"personal-data:hmac-sm3", 32),
            )
        )
    return tuple(ring)


def keys() -> tuple[Key, ...]:
    """The personal-data keys, current first."""
    return _keyring(tuple(settings.PERSONAL_DATA_KEYS))


def current_key() -> Key:
    return keys()[0]


def encrypt(plaintext: str, *, context: str) -> str:
    """The stored form of `plaintext` ("" stays ""). `context` names the column (its associated data)."""
    if plaintext is None or plaintext == "":
        return plaintext
    key = current_key()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key.encryption), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(str(plaintext).encode()) + encryptor.finalize()
    token = base64.b64encode(nonce + body + encryptor.tag).decode()
    return f"{ALGORITHM}:{key.id}:{token}"


def key_id_of(stored: str) -> str | None:
    """The id of the key a stored value was encrypted with (None for an empty value)."""
    if not stored:
        return None
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 else None


def decrypt(stored: str, *, context: str) -> str:
    """The plaintext of a stored value. Raises DecryptionError for a value that is not one this module
    wrote for `context` with a key it knows (plaintext left in the column included)."""
    if stored is None or stored == "":
        return stored
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[0] != ALGORITHM:
        raise DecryptionError(f"{context}: not an encrypted value")
    key = next((k for k in keys() if k.id == parts[1]), None)
    if key is None:
        raise DecryptionError(f"{context}: encrypted under key {parts[1]}, which PERSONAL_DATA_KEYS does not hold")
    try:
        raw = base64.b64decode(parts[2], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError(f"{context}: damaged value") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"{context}: damaged value")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.encryption), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise DecryptionError(f"{context}: the value was altered or belongs to another column") from exc


def normalize(value: str) -> str:
    """What the keyed hash is taken of: no spaces, upper case (632701...123x and 632701...123X are one number)."""
    return "".join(str(value).split()).upper()


def lookup_hash(value: str, *, context: str, key: Key | None = None) -> str | None:
    """HMAC-SM3 of the normalised value under the current key (or `key`), hex; None for an empty value."""
    if value is None or normalize(value) == "":
        return None
    mac = hmac.HMAC((key or current_key()).mac, hashes.SM3())
    mac.update(context.encode() + b"\0" + normalize(value).encode())
    return mac.finalize().hex()


def lookup_hashes(value: str, *, context: str) -> list[str]:
    """The value's hash under every key (current and older): what an exact look-up matches during a rotation."""
    return [h for key in keys() if (h := lookup_hash(value, context=context, key=key))]


@functools.lru_cache(maxsize=4)
def _audit_key(text: str) -> bytes:
    return _derive(parse_master_key(text), b"audit-chain:hmac-sm3", 32)


def audit_mac(message: bytes) -> str:
    """HMAC-SM3 of an audit entry's canonical form, hex (the audit log's chain)."""
    mac = hmac.HMAC(_audit_key(settings.AUDIT_CHAIN_KEY), hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


@functools.lru_cache(maxsize=4)
def _anchor_key(text: str) -> bytes:
    return _derive(parse_master_key(text), b"audit-anchor:hmac-sm3", 32)


def anchor_mac(message: bytes) -> str:
    """HMAC-SM3 of an audit anchor line (yushu_gov/audit/anchor.py), hex, under AUDIT_ANCHOR_KEY (or a key
    derived from AUDIT_CHAIN_KEY for another purpose when it is unset): neither key is in the database."""
    mac = hmac.HMAC(_anchor_key(settings.AUDIT_ANCHOR_KEY or settings.AUDIT_CHAIN_KEY), hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()
