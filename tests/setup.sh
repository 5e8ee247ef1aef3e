#!/usr/bin/env bash
# Installs what the test suites need beyond the .NET SDK: the official Socket.IO npm packages the interop and
# cross-implementation tests run against. Safe to run repeatedly; the tests also call it when node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")/js"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Headless Chromium for the browser interop test (CI images install it up front; the test fails clearly without it).
if ! command -v chromium >/dev/null 2>&1; then
  (apt-get update && apt-get install -y chromium) >&2 || echo "setup.sh: could not install chromium; the browser test will fail" >&2
fi
