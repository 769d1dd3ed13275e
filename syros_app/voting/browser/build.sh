#!/bin/sh
# Bundle ballot.src.js with @noble/curves 2.4.0 and @noble/hashes 2.4.0 into assets/voting/ballot.js.
# Run from the repository root: sh syros_app/voting/browser/build.sh  (needs bun; fetches the two
# packages from the npm registry into a scratch folder).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
cp "$here/ballot.src.js" "$work/"
cd "$work"
echo '{"name":"syros-ballot-build","private":true}' > package.json
bun add --exact @noble/curves@2.4.0 @noble/hashes@2.4.0 >/dev/null
bun build ballot.src.js --minify --format=iife --target=browser --outfile "$root/assets/voting/ballot.js"
rm -rf "$work"
echo "assets/voting/ballot.js: $(wc -c < "$root/assets/voting/ballot.js") bytes"
