"""Sign model bundles with a maintainer's Ed25519 key, or make a new key pair.

    python -m converters.sign --new-key ~/offline/cxr-maintainer.key --public-out cxrcore/trusted_keys/NAME.pub --comment "who, when"
    python -m converters.sign models/pneumonia-pediatric models/adult-abnormal --key ~/offline/cxr-maintainer.key

Signing verifies the bundle first (card digest and every file's SHA-256), then signs its
``card_sha256`` (`cxrcore.signing`), so a signature always vouches for a bundle as it was checked.
The private key file is refused anywhere inside a git work tree: it must never enter a repository.
Sign last: any later change to the card (`converters.card --update`, `converters.safety_card`)
invalidates the signature, and the app then refuses the bundle until it is signed again.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cxrcore.bundle import BundleError, load_bundle
from cxrcore.signing import ALGORITHM, SIGNATURE_FILE, key_id, public_key_text, signature_text, signed_message

from converters import ConversionError

if TYPE_CHECKING:
    from nacl.signing import SigningKey


def _inside_work_tree(path: Path) -> bool:
    return any((folder / ".git").exists() for folder in path.resolve().parents)


def new_key(private_path: Path, public_path: Path, comment: str) -> str:
    """Write a new private key (mode 0600, outside any repository) and its public ``.pub``; return the key id."""
    from nacl.signing import SigningKey

    if _inside_work_tree(private_path):
        raise ConversionError(f"{private_path}: inside a git work tree; keep the private key outside every repository")
    if private_path.exists():
        raise ConversionError(f"{private_path}: exists; refusing to overwrite a private key")
    signing_key = SigningKey.generate()
    public_key = bytes(signing_key.verify_key)
    private_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"algorithm": ALGORITHM, "key_id": key_id(public_key), "comment": comment,
                   "private_key": base64.b64encode(bytes(signing_key)).decode("ascii")}, handle, indent=2)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_text(public_key_text(public_key, comment), encoding="utf-8")
    return key_id(public_key)


def read_private_key(path: Path) -> SigningKey:
    from nacl.signing import SigningKey

    if _inside_work_tree(path):
        raise ConversionError(f"{path}: a private key inside a git work tree; move it out of the repository")
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        return SigningKey(base64.b64decode(entry["private_key"], validate=True))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConversionError(f"{path}: not a readable private key ({error})") from error


def sign_bundle(bundle_dir: Path, signing_key: SigningKey) -> str:
    """Verify the bundle, sign its card digest, write ``signature.json``; return the key id."""
    bundle = load_bundle(bundle_dir)
    public_key = bytes(signing_key.verify_key)
    signature = signing_key.sign(signed_message(bundle.card_sha256)).signature
    (bundle.directory / SIGNATURE_FILE).write_text(signature_text(public_key, signature, bundle.card_sha256),
                                                   encoding="utf-8")
    return key_id(public_key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converters.sign", description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="*", type=Path, metavar="BUNDLE", help="bundle folders to sign")
    parser.add_argument("--key", type=Path, help="private key file (kept outside every repository)")
    parser.add_argument("--new-key", type=Path, metavar="PRIVATE", help="make a new key pair: the private key file")
    parser.add_argument("--public-out", type=Path, help="with --new-key: where to write the public .pub")
    parser.add_argument("--comment", default="", help="with --new-key: whose key this is, and since when")
    args = parser.parse_args(argv)
    try:
        if args.new_key:
            if not args.public_out:
                parser.error("--new-key needs --public-out")
            print(f"new key {new_key(args.new_key, args.public_out, args.comment)}: public half {args.public_out}")
            return 0
        if not args.bundles or not args.key:
            parser.error("give bundle folders and --key (or --new-key)")
        signing_key = read_private_key(args.key)
        for bundle_dir in args.bundles:
            print(f"{bundle_dir}: signed by key {sign_bundle(bundle_dir, signing_key)}")
    except (ConversionError, BundleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
