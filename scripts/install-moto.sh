#!/usr/bin/env bash
# Installs moto's S3-compatible server, pinned, into .moto/ of this checkout (git-ignored), for the
# tests of handlingar kept in object storage (DOCUMENT_STORAGE=s3, tests/document-store.test.ts):
#   .moto/bin/moto_server   run as `moto_server -H 127.0.0.1 -p PORT` (tests/support/s3.ts)
# It comes from PyPI (moto[server]) installed into a Python venv. Safe to run again: it does
# nothing when the pinned version is already there.
#
# With --if-needed (run before `npm test`): without Python it says so and leaves the S3 tests to
# skip (or, with CI or REQUIRE_BROWSER set, to fail).
set -euo pipefail
cd "$(dirname "$0")/.."

IF_NEEDED=
[ "${1:-}" = "--if-needed" ] && IF_NEEDED=1

MOTO_VERSION=5.2.6

DIR=.moto
STAMP="$DIR/installed-$MOTO_VERSION"
if [ -f "$STAMP" ] && [ -x "$DIR/bin/moto_server" ]; then
  [ -n "$IF_NEEDED" ] || echo "moto: moto_server $MOTO_VERSION already in $DIR/bin"
  exit 0
fi
PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
if [ -z "$PYTHON" ]; then
  if [ -n "$IF_NEEDED" ]; then
    echo "moto: no python3 to install moto_server from PyPI; the object storage tests are skipped" >&2
    exit 0
  fi
  echo "install-moto: python3 is needed (for moto[server] from PyPI)" >&2
  exit 1
fi
rm -rf "$DIR"
"$PYTHON" -m venv "$DIR/venv"
"$DIR/venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
mkdir -p "$DIR/bin"
ln -sf ../venv/bin/moto_server "$DIR/bin/moto_server"
touch "$STAMP"
echo "moto: moto_server $MOTO_VERSION installed in $DIR/bin"
