"""The ``tabscore-export`` command line."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .canonical import manifest_digest
from .errors import BundleError
from .export import export_bundle
from .manifest import read_manifest
from .seal import seal
from .validate import validate_bundle


def _cmd_export_demo(args: argparse.Namespace) -> int:
    from . import recipes

    demo = recipes.train_churn_binary(rows=args.rows, seed=args.seed, epochs=args.epochs)
    manifest = export_bundle(
        demo.preprocessor,
        demo.model,
        demo.train_df,
        args.out_dir,
        name=args.name,
        version=args.version,
        task="binary",
        classes=[0, 1],
        target=recipes.CHURN_TARGET,
        snapshot_id=args.snapshot_id,
        run_id=args.run_id,
        metrics=demo.metrics,
        overwrite=args.overwrite,
    )
    print(f"wrote {args.out_dir}  {manifest_digest(manifest)}")
    return 0


def _cmd_seal(args: argparse.Namespace) -> int:
    manifest = seal(
        args.src_dir,
        args.out_dir,
        name=args.name,
        version=args.version,
        created_at=args.created_at,
        snapshot_id=args.snapshot_id,
        run_id=args.run_id,
        verify_model=not args.no_verify_model,
        overwrite=args.overwrite,
    )
    print(f"wrote {args.out_dir}  {manifest_digest(manifest)}")
    return 0


def _cmd_digest(args: argparse.Namespace) -> int:
    print(manifest_digest(read_manifest(args.path)))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    replay = False if args.no_replay else (True if args.replay else None)
    done = validate_bundle(args.bundle_dir, replay=replay)
    print(f"OK {args.bundle_dir}  {manifest_digest(read_manifest(args.bundle_dir))}  ({'; '.join(done)})")
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from . import explain

    return explain.run(args)


def _cmd_sign(args: argparse.Namespace) -> int:
    from . import signing

    return signing.run(args)


def build_parser(prog: str = "tabscore-export") -> argparse.ArgumentParser:
    """The argparse parser of the CLI."""
    # explain and signing are imported here, not at the top: they import the package, which imports this module.
    from . import explain, signing

    parser = argparse.ArgumentParser(prog=prog, description="tabscore bundle exporter")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("export-demo", help="train the churn demo model and export it as a bundle")
    demo.add_argument("out_dir")
    demo.add_argument("--rows", type=int, default=5000)
    demo.add_argument("--epochs", type=int, default=15)
    demo.add_argument("--seed", type=int, default=20261101)
    demo.add_argument("--name", default="seed-binary")
    demo.add_argument("--version", default="1.0.0")
    demo.add_argument("--snapshot-id", default=None)
    demo.add_argument("--run-id", default=None)
    demo.add_argument("--overwrite", action="store_true")
    demo.set_defaults(func=_cmd_export_demo)

    sl = sub.add_parser("seal", help="turn a seed-style folder (metadata.json, golden CSVs) into a bundle")
    sl.add_argument("src_dir")
    sl.add_argument("out_dir")
    sl.add_argument("--name", default=None, help="bundle name (default: metadata.json 'bundle')")
    sl.add_argument("--version", default="1.0.0")
    sl.add_argument("--created-at", default=None, help="RFC 3339 UTC, default now")
    sl.add_argument("--snapshot-id", default=None)
    sl.add_argument("--run-id", default=None)
    sl.add_argument("--no-verify-model", action="store_true", help="do not run the network on the golden batch")
    sl.add_argument("--overwrite", action="store_true")
    sl.set_defaults(func=_cmd_seal)

    dg = sub.add_parser("digest", help="print the identity digest of a manifest (file or bundle folder)")
    dg.add_argument("path")
    dg.set_defaults(func=_cmd_digest)

    va = sub.add_parser("validate", help="validate a bundle (schema, hashes, golden files, replay)")
    va.add_argument("bundle_dir")
    group = va.add_mutually_exclusive_group()
    group.add_argument("--replay", action="store_true", help="always replay the golden batch")
    group.add_argument("--no-replay", action="store_true", help="never replay the golden batch")
    va.set_defaults(func=_cmd_validate)

    ex = sub.add_parser(
        "explain",
        help="one row through a bundle, step by step (diff with 'tabscore bundle explain')",
        description=explain.__doc__.splitlines()[0],
    )
    explain.add_arguments(ex).set_defaults(func=_cmd_explain)

    sg = sub.add_parser(
        "sign",
        help="sign a sealed bundle with OpenSSF model_signing (extra 'signing')",
        description=signing.__doc__.split("\n\n")[0],
    )
    signing.add_arguments(sg).set_defaults(func=_cmd_sign)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "tabscore-export") -> int:
    """CLI entry point; BundleError becomes exit status 1 with its message on stderr."""
    args = build_parser(prog).parse_args(argv)
    try:
        return args.func(args)
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
