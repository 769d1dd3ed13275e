#!/bin/sh
# Bundle the browser's cryptography with @noble/curves 2.4.0, @noble/hashes 2.4.0 and
# @noble/ciphers 2.4.0 (exact versions):
#   ballot.src.js  (+ group.js) -> assets/voting/ballot.js   the voter's ballot (window.syrosBallot)
#   trustee.src.js (+ group.js) -> assets/voting/trustee.js  a trustee's key ceremony (window.syrosTrustee)
# Run from the repository root: sh syros_app/voting/browser/build.sh  (needs bun; fetches the
# packages from the npm registry into a scratch folder). The outputs are committed.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
cp "$here/ballot.src.js" "$here/trustee.src.js" "$here/group.js" "$work/"
cd "$work"
echo '{"name":"syros-ballot-build","private":true}' > package.json
bun add --exact @noble/curves@2.4.0 @noble/hashes@2.4.0 @noble/ciphers@2.4.0 >/dev/null
for name in ballot trustee; do
  bun build "$name.src.js" --minify --format=iife --target=browser --outfile "$root/assets/voting/$name.js"
  echo "assets/voting/$name.js: $(wc -c < "$root/assets/voting/$name.js") bytes"
done
rm -rf "$work"
