#!/usr/bin/env bash
# Regenerates src/*/PublicAPI.Unshipped.txt: empties them, builds, and writes back (sorted) every symbol the
# PublicApiAnalyzers report as undeclared (RS0016). PublicAPI.Shipped.txt is left alone: move lines there on release.
# Run it after merging branches that add public API, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every library under src/ (executables such as the doctor tool have no API to track).
projects=()
for csproj in src/*/*.csproj; do
  grep -q '<OutputType>Exe</OutputType>' "$csproj" || projects+=("$(basename "$(dirname "$csproj")")")
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for p in "${projects[@]}"; do
  [ -f "src/$p/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' >"src/$p/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' >"src/$p/PublicAPI.Unshipped.txt"
done

# --no-incremental: an up-to-date project would not report its diagnostics again. TypedSioUpdatingPublicApi keeps RS0016 a warning
# (see src/Directory.Build.props), so the build succeeds while symbols are missing.
for p in "${projects[@]}"; do
  dotnet build "src/$p" --no-incremental -nologo -clp:NoSummary -p:TypedSioUpdatingPublicApi=true >>"$log" 2>&1 || { cat "$log"; exit 1; }
done

for p in "${projects[@]}"; do
  grep -F "warning RS0016:" "$log" | grep -F "[$PWD/src/$p/$p.csproj]" |
    sed -E "s/.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" |
    LC_ALL=C sort -u >>"src/$p/PublicAPI.Unshipped.txt"
  echo "src/$p/PublicAPI.Unshipped.txt: $(( $(wc -l <"src/$p/PublicAPI.Unshipped.txt") - 1 )) symbols"
done
