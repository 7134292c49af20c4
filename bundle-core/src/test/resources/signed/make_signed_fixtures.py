"""Generates the signed-bundle fixtures of SignatureCheckTest with the real model_signing tool.

    python3 bundle-core/src/test/resources/signed/make_signed_fixtures.py

Signs a copy of sealed/sklearn-1.9.1/seed-binary with scripts/tabscore_sign.py (model_signing
1.1.1) and keeps only the signatures and the public halves: the test copies the same sealed
bundle and drops a signature in as model.sig. Written here:
  key.sig          key-based, EC P-256 (trusted.pub.pem)
  p384.sig         key-based, EC P-384 (p384.pub.pem)
  cert.sig         certificate-based: leaf (digitalSignature) <- intermediate <- root.crt.pem
  nousage.sig      certificate-based, leaf whose key usage does not allow signing
  ed25519.sig      key.sig's statement re-signed by hand with Ed25519 (model_signing signs only
                   with EC keys; this checks tabscore's Ed25519 path on the same format)
  untrusted.pub.pem, other-root.crt.pem: a key and a root that signed nothing here
The private keys are thrown away. Certificates are valid from 2026-01-01 for 20 years.
"""

import base64
import datetime
import hashlib
import json
import pathlib
import shutil
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[4]
from tabscore_export import signing as tabscore_sign

SEALED = HERE.parent / "sealed" / "sklearn-1.9.1" / "seed-binary"
NOT_BEFORE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def pem_private(key, path):
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def pem_public(key, path):
    path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))


def cert(subject_cn, key, issuer_cert, issuer_key, ca, usage_sign=True):
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tabscore tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    b = (x509.CertificateBuilder().subject_name(name)
         .issuer_name(issuer_cert.subject if issuer_cert else name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_BEFORE + datetime.timedelta(days=7300))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    b = b.add_extension(x509.KeyUsage(
        digital_signature=usage_sign and not ca, content_commitment=False,
        key_encipherment=not usage_sign and not ca, data_encipherment=False, key_agreement=False,
        key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
    return b.sign(issuer_key or key, hashes.SHA256())


def write_cert(c, path):
    path.write_bytes(c.public_bytes(serialization.Encoding.PEM))


def sign_copy(work, name, key, leaf=None, chain=()):
    bundle = work / "seed-binary"
    if bundle.exists():
        shutil.rmtree(bundle)
    shutil.copytree(SEALED, bundle)
    pem_private(key, work / "k.pem")
    if leaf is None:
        sig = tabscore_sign.sign_bundle(bundle, work / "k.pem")
    else:
        write_cert(leaf, work / "leaf.pem")
        paths = []
        for i, c in enumerate(chain):
            write_cert(c, work / f"chain{i}.pem")
            paths.append(work / f"chain{i}.pem")
        sig = tabscore_sign.sign_bundle(bundle, work / "k.pem", work / "leaf.pem", paths)
    shutil.copy(sig, HERE / name)


def ed25519_resign(src, dst):
    """Re-signs src's DSSE payload with a new Ed25519 key (PAE as in model_signing's pae())."""
    key = ed25519.Ed25519PrivateKey.generate()
    pem_public(key, HERE / "ed25519.pub.pem")
    doc = json.loads(src.read_text())
    payload = base64.b64decode(doc["dsseEnvelope"]["payload"])
    ptype = doc["dsseEnvelope"]["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload)
    doc["dsseEnvelope"]["signatures"][0]["sig"] = base64.b64encode(key.sign(pae)).decode()
    doc["verificationMaterial"]["publicKey"]["hint"] = hashlib.sha256(
        (HERE / "ed25519.pub.pem").read_bytes()).hexdigest()
    dst.write_text(json.dumps(doc))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        trusted = ec.generate_private_key(ec.SECP256R1())
        pem_public(trusted, HERE / "trusted.pub.pem")
        sign_copy(work, "key.sig", trusted)
        p384 = ec.generate_private_key(ec.SECP384R1())
        pem_public(p384, HERE / "p384.pub.pem")
        sign_copy(work, "p384.sig", p384)
        pem_public(ec.generate_private_key(ec.SECP256R1()), HERE / "untrusted.pub.pem")
        ed25519_resign(HERE / "key.sig", HERE / "ed25519.sig")

        root_key = ec.generate_private_key(ec.SECP256R1())
        root = cert("tabscore test root", root_key, None, None, ca=True)
        write_cert(root, HERE / "root.crt.pem")
        mid_key = ec.generate_private_key(ec.SECP256R1())
        mid = cert("tabscore test intermediate", mid_key, root, root_key, ca=True)
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        leaf = cert("training-pipeline", leaf_key, mid, mid_key, ca=False)
        sign_copy(work, "cert.sig", leaf_key, leaf, [mid])
        bad_key = ec.generate_private_key(ec.SECP256R1())
        bad = cert("encryption-only", bad_key, mid, mid_key, ca=False, usage_sign=False)
        sign_copy(work, "nousage.sig", bad_key, bad, [mid])
        other_key = ec.generate_private_key(ec.SECP256R1())
        write_cert(cert("another root", other_key, None, None, ca=True),
                   HERE / "other-root.crt.pem")
    print("wrote", sorted(p.name for p in HERE.iterdir() if p.suffix in (".sig", ".pem")))


if __name__ == "__main__":
    main()
