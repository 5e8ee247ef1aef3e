#!/usr/bin/env bash
# The side-by-side comparison with the Node reference server, in one command:
#   bash tests/TypedSio.Benchmarks/compare.sh [load tool options, e.g. --pairs 3 --duration 5 --fan-out-large 10000]
# Builds the servers (and the Native AOT one when clang is there or can be installed), pins each server to CPU 0 and
# the load tool to CPU 1, and writes docs/benchmarks/comparison.md and docs/benchmarks/memory.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Thousands of sockets in the tool and the server: as many descriptors as this shell may have.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

(cd tests/js && { [ -d node_modules/socket.io ] || npm ci --no-audit --no-fund >/dev/null; })
dotnet build -c Release samples/BenchServer >/dev/null
dotnet build -c Release tests/TypedSio.Benchmarks >/dev/null

aot=()
if ! command -v clang >/dev/null; then
  # Native AOT links with clang and needs zlib; install them if we may, else compare without the AOT server.
  (apt-get update -qq && apt-get install -y -qq clang zlib1g-dev) >/dev/null 2>&1 || true
fi
if command -v clang >/dev/null && dotnet publish -c Release -o artifacts/bench-aot samples/BenchServer >/dev/null 2>&1; then
  aot=(--ours-aot "artifacts/bench-aot/BenchServer --port {port}")
else
  echo "Native AOT server not built (no clang?): the startup row compares the JIT server only" >&2
fi

# Socket completions run on the event thread instead of hopping to the thread pool: the tool's cost per read halves.
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
exec taskset -c 1 dotnet tests/TypedSio.Benchmarks/bin/Release/net10.0/TypedSio.Benchmarks.dll load compare \
  --ours "dotnet samples/BenchServer/bin/Release/net10.0/BenchServer.dll --port {port}" \
  --ours-connection-level "dotnet samples/BenchServer/bin/Release/net10.0/BenchServer.dll --port {port} --connection-level" \
  --node "node tests/js/bench-server.mjs --port {port}" \
  "${aot[@]}" "$@"
