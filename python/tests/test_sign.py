"""tabscore_export.signing, run through its launcher scripts/tabscore_sign.py: signatures made through it verify
with model_signing's own verifier,
and any change to the bundle breaks them."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from model_signing import verifying

REPO = Path(__file__).resolve().parents[2]
SEALED = REPO / "bundle-core/src/test/resources/sealed/sklearn-1.9.1/seed-binary"
SIGN = [sys.executable, str(REPO / "scripts/tabscore_sign.py")]


def _pem_private(key, path):
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def _cert(cn, key, issuer=None, issuer_key=None, ca=False):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(issuer_key or key, hashes.SHA256())
    )


@pytest.fixture
def bundle(tmp_path):
    b = tmp_path / "bundle"
    shutil.copytree(SEALED, b)
    return b


@pytest.fixture
def key(tmp_path):
    k = ec.generate_private_key(ec.SECP256R1())
    pub = tmp_path / "signer.pub.pem"
    pub.write_bytes(
        k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return _pem_private(k, tmp_path / "signer.key.pem"), pub


def _verify_key(bundle, pub):
    verifying.Config().use_elliptic_key_verifier(public_key=pub).verify(bundle, bundle / "model.sig")


def test_key_signature_verifies_with_model_signing_and_lists_every_file(bundle, key):
    out = subprocess.run(
        SIGN + ["key", str(bundle), "--private-key", str(key[0])], capture_output=True, text=True, check=True
    )
    assert "model.sig" in out.stdout
    _verify_key(bundle, key[1])
    import base64
    import json

    statement = json.loads(base64.b64decode(json.loads((bundle / "model.sig").read_text())["dsseEnvelope"]["payload"]))
    names = [r["name"] for r in statement["predicate"]["resources"]]
    assert names == sorted(
        str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file() and p.name != "model.sig"
    )
    assert "manifest.json" in names
    assert "model.sig" in statement["predicate"]["serialization"]["ignore_paths"]


@pytest.mark.parametrize("change", ["byte", "added", "removed"])
def test_any_change_breaks_the_signature(bundle, key, change):
    subprocess.run(SIGN + ["key", str(bundle), "--private-key", str(key[0])], check=True, capture_output=True)
    if change == "byte":
        data = bytearray((bundle / "preprocessor.skops").read_bytes())
        data[100] ^= 1
        (bundle / "preprocessor.skops").write_bytes(bytes(data))
    elif change == "added":
        (bundle / "golden" / "extra.parquet").write_bytes(b"x")
    else:
        (bundle / "model_state.pt").unlink()
    with pytest.raises(ValueError, match="Signature mismatch"):
        _verify_key(bundle, key[1])


def test_certificate_signature_verifies_against_its_root(bundle, tmp_path):
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _cert("test root", root_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = _cert("training-pipeline", leaf_key, root, root_key)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    subprocess.run(
        SIGN
        + [
            "certificate",
            str(bundle),
            "--private-key",
            str(_pem_private(leaf_key, tmp_path / "leaf.key")),
            "--signing-certificate",
            str(tmp_path / "leaf.pem"),
            "--certificate-chain",
            str(tmp_path / "root.pem"),
        ],
        check=True,
        capture_output=True,
    )
    verifying.Config().use_certificate_verifier(certificate_chain=[tmp_path / "root.pem"]).verify(
        bundle, bundle / "model.sig"
    )


def test_keyless_unsealed_and_chainless_are_refused(tmp_path, key, bundle):
    out = subprocess.run(SIGN + ["keyless", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 2 and "keyless" in out.stderr
    out = subprocess.run(SIGN + ["key", str(tmp_path), "--private-key", str(key[0])], capture_output=True, text=True)
    assert out.returncode == 2 and "not a sealed bundle" in out.stderr
    out = subprocess.run(
        SIGN + ["certificate", str(bundle), "--private-key", str(key[0]), "--signing-certificate", str(key[1])],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "--certificate-chain" in out.stderr
    assert not (bundle / "model.sig").exists()
