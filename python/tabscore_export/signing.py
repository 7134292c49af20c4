"""Signs a sealed tabscore bundle directory with OpenSSF model_signing (PyPI `model-signing`).

    tabscore-export sign key BUNDLE --private-key signer.key.pem
    tabscore-export sign certificate BUNDLE --private-key signer.key.pem \
        --signing-certificate signer.crt.pem --certificate-chain intermediate.crt.pem

The signature is written inside the bundle as `model.sig` (model_signing's default name), a
Sigstore bundle (media type application/vnd.dev.sigstore.bundle.v0.3+json) whose DSSE envelope
holds an in-toto statement listing every file of the bundle with its sha256, `manifest.json`
included, so the signature covers the manifest and, through it, the bundle digest. model_signing
leaves out of that list: the signature file itself and `.git`, `.gitattributes`, `.github`,
`.gitignore` (recorded in the statement's `serialization.ignore_paths`). Sign after sealing:
any later change to any file breaks the signature. Only EC keys (P-256, P-384, P-521) are
accepted by model_signing's key and certificate signers.

Keyless (Sigstore/Fulcio + Rekor) signing needs an OIDC identity and the public Sigstore
services over the network, and its verification needs the transparency log; tabscore's Java
verifier does not check keyless signatures offline, so this tool refuses to make them.

Verify with `tabscore bundle verify BUNDLE --trust-key signer.pub.pem` (or `--trust-root
root.crt.pem`), or with `model_signing verify key BUNDLE --signature BUNDLE/model.sig
--public_key signer.pub.pem`.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
from typing import Any, Sequence

SIGNATURE_NAME = "model.sig"


def _hashing_config() -> Any:
    from model_signing import hashing

    # the signature file is left out of what is signed, as model_signing's own CLI does
    return hashing.Config().set_ignored_paths(paths=[SIGNATURE_NAME], ignore_git_paths=True)


def _check_sealed(bundle: pathlib.Path) -> None:
    if not (bundle / "manifest.json").is_file():
        raise ValueError(f"{bundle} is not a sealed bundle (no manifest.json): export it first")


def sign_bundle(
    bundle: str | os.PathLike[str],
    private_key: str | os.PathLike[str],
    signing_certificate: str | os.PathLike[str] | None = None,
    certificate_chain: Sequence[str | os.PathLike[str]] = (),
) -> pathlib.Path:
    """Signs a sealed bundle in place; returns the signature's path (BUNDLE/model.sig).

    With only `private_key` (PEM, EC) the signature is key-based; with `signing_certificate`
    (and the intermediates in `certificate_chain`, leaf excluded) it is certificate-based.
    """
    from model_signing import signing

    bundle = pathlib.Path(bundle)
    _check_sealed(bundle)
    config = signing.Config()
    if signing_certificate is None:
        config.use_elliptic_key_signer(private_key=pathlib.Path(private_key))
    else:
        if not certificate_chain:
            # model_signing 1.1.1 fails on an empty chain with an obscure PEM error
            raise ValueError(
                "certificate signing needs --certificate-chain: at least the issuer "
                "of the signing certificate (the root itself when it issued it)"
            )
        config.use_certificate_signer(
            private_key=pathlib.Path(private_key),
            signing_certificate=pathlib.Path(signing_certificate),
            certificate_chain=[pathlib.Path(c) for c in certificate_chain],
        )
    signature = bundle / SIGNATURE_NAME
    config.set_hashing_config(_hashing_config()).sign(bundle, signature)
    return signature


def add_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The signing subcommands (``tabscore-export sign`` and ``scripts/tabscore_sign.py``)."""
    sub = p.add_subparsers(dest="method", required=True)
    k = sub.add_parser("key", help="sign with an EC private key (PEM)")
    k.add_argument("bundle")
    k.add_argument("--private-key", required=True)
    c = sub.add_parser("certificate", help="sign with a private key and its X.509 certificate")
    c.add_argument("bundle")
    c.add_argument("--private-key", required=True)
    c.add_argument("--signing-certificate", required=True)
    c.add_argument(
        "--certificate-chain",
        action="append",
        default=[],
        help="the chain above the signing certificate, PEM (repeatable; at least " "its issuer)",
    )
    kl = sub.add_parser("keyless", help="refused: see the module doc")
    kl.add_argument("bundle", nargs="?")
    return p


def run(args: argparse.Namespace) -> int:
    """Sign as the parsed arguments say; 2 on a refused or failed signing."""
    if args.method == "keyless":
        print(
            "tabscore_sign: keyless Sigstore signing is not supported: it needs network access "
            "to Fulcio and Rekor, and tabscore verifies only key- and certificate-based "
            "signatures offline. Use 'key' or 'certificate'.",
            file=sys.stderr,
        )
        return 2
    try:
        out = sign_bundle(
            args.bundle,
            args.private_key,
            getattr(args, "signing_certificate", None),
            getattr(args, "certificate_chain", ()),
        )
    except (ValueError, OSError) as e:
        print(f"tabscore_sign: {e}", file=sys.stderr)
        return 2
    print(f"signed {args.bundle} -> {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = add_arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0]))
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
