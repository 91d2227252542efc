#!/usr/bin/env bash
# The whole test suite: setup (installs what is missing), type check, then every jest test
# (unit tests beside the code, integration tests under test/). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "marina test: type check" >&2
node_modules/.bin/tsc --noEmit -p .
echo "marina test: jest" >&2
exec node_modules/.bin/jest "$@"
