"""The manifest JSON Schema (package data, a link to bundle-core's copy) and validation against it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Mapping

from .errors import BundleError

# Package data; in the source tree a link to bundle-core's schema, so Python and Java validate against one file.
SCHEMA_RESOURCE = "manifest.schema.json"


def load_schema() -> dict[str, Any]:
    """The manifest JSON Schema (draft 2020-12) shipped in bundle-core and, as package data, in this package."""
    schema = resources.files(__package__).joinpath(SCHEMA_RESOURCE)
    if not schema.is_file():
        raise BundleError(f"manifest schema not found at {schema}")
    return json.loads(schema.read_text(encoding="utf-8"))


def validate_manifest(manifest: Mapping[str, Any]) -> None:
    """Raise BundleError listing every place where ``manifest`` does not satisfy the JSON Schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted((_deepest_error(e) for e in validator.iter_errors(manifest)), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors[:20]]
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise BundleError("manifest does not match manifest.schema.json:\n" + "\n".join(lines) + more)


def _deepest_error(error: Any) -> Any:
    """The error that names what is wrong: for a oneOf/anyOf failure ("... is not valid under any of the given
    schemas") the error of the alternative the value was meant to match, e.g. "Additional properties are not
    allowed ('p' was unexpected)" at the offending layer, rather than the whole value. An alternative whose
    discriminator (a ``const`` / ``enum`` / ``type``) fails is not the one meant, while another one exists."""
    if not error.context:
        return error
    by_alternative: dict[Any, list[Any]] = {}
    for e in error.context:
        by_alternative.setdefault(e.relative_schema_path[0] if e.relative_schema_path else None, []).append(e)
    meant = [
        errs for errs in by_alternative.values() if not any(e.validator in ("const", "enum", "type") for e in errs)
    ] or list(by_alternative.values())
    leaves = [_deepest_error(e) for errs in meant for e in errs]
    return max(leaves, key=lambda e: (len(e.absolute_path), e.validator not in ("const", "enum", "type")))
