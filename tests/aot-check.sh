#!/usr/bin/env bash
# Native AOT check: publishes the chat sample's server and console client (PublishAot is set in their csproj) with
# trim/AOT warnings as errors, then runs both binaries for a typed round trip. Prints "aot-check: passed" or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
  (export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y clang zlib1g-dev) >&2
fi

out=${AOT_OUT:-artifacts/aot}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for project in Chat.Server Chat.Client; do
  start=$(date +%s)
  # Warnings are already errors (Directory.Build.props; ILC follows TreatWarningsAsErrors); counting them as well makes
  # a regression readable in the log.
  if ! dotnet publish "samples/Chat/$project" -c Release -o "$out/$project" -p:TreatWarningsAsErrors=true >"$work/$project.log" 2>&1; then
    cat "$work/$project.log"
    echo "aot-check: publishing $project failed"
    exit 1
  fi
  warnings=$(grep -cE ': warning [A-Z]+[0-9]+' "$work/$project.log" || true)
  size=$(stat -c %s "$out/$project/$project")
  echo "aot-check: $project published in $(( $(date +%s) - start ))s, $warnings warnings, binary $(( size / 1024 / 1024 )) MiB ($size bytes)"
  if [ "$warnings" -ne 0 ]; then
    grep -E ': warning [A-Z]+[0-9]+' "$work/$project.log" | sort -u
    echo "aot-check: $project has trim/AOT warnings"
    exit 1
  fi
done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 5917)
"$out/Chat.Server/Chat.Server" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!

# Waits (polling a log file, up to $2 seconds) for a line containing $1.
wait_for() {
  for _ in $(seq 1 $(( $2 * 4 ))); do
    grep -qF -- "$1" "$3" && return 0
    sleep 0.25
  done
  echo "aot-check: timed out waiting for '$1' in $3:"; cat "$3"; return 1
}
wait_for "Chat server listening on" 60 "$work/server.log"

mkfifo "$work/stdin"
"$out/Chat.Client/Chat.Client" "http://127.0.0.1:$port" aot lobby <"$work/stdin" >"$work/client.log" 2>&1 &
client_pid=$!
exec 3>"$work/stdin"
wait_for "* joined lobby" 60 "$work/client.log"
echo "hello from native code" >&3
echo "/file native.bin bytes" >&3
wait_for "[lobby] aot: hello from native code" 60 "$work/client.log"
wait_for "* aot shared native.bin (5 bytes): bytes" 60 "$work/client.log"
exec 3>&-
wait "$client_pid"
echo "aot-check: passed"
