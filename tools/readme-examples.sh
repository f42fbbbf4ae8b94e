#!/usr/bin/env bash
# Runs the README's client examples (the bash block after "For example, with `./deckhand up` running")
# verbatim against a fresh `./deckhand up`, line by line, and checks each exit code: 0, or what the
# line's comment says ("# exit 1: ..."). Needs the AWS CLI for the `aws` lines.
# Usage: tools/readme-examples.sh        (from anywhere in the checkout; exit 0 when every line did)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v aws >/dev/null 2>&1; then
  echo "readme-examples: the README's examples use the AWS CLI: install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)" >&2
  exit 2
fi

examples="$(awk '/^For example, with `\.\/deckhand up` running/ {found=1} found && /^```bash$/ {inside=1; next}
  inside && /^```$/ {exit} inside {print}' README.md)"
if [ -z "$examples" ]; then
  echo "readme-examples: no example block found in README.md" >&2
  exit 2
fi

work="$(mktemp -d)"
./deckhand up --port 0 --api-port 0 >"$work/env" 2>"$work/up.log" &
up=$!
trap 'kill "$up" 2>/dev/null; wait "$up" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  grep -q DECKHAND_STATE_MACHINE_ARN "$work/env" && break
  kill -0 "$up" 2>/dev/null || { echo "readme-examples: ./deckhand up ended:" >&2; cat "$work/up.log" >&2; exit 1; }
  sleep 0.5
done
# shellcheck disable=SC1090
. "$work/env"

failures=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  expected=0
  if [[ "$line" =~ \#\ exit\ ([0-9]+) ]]; then
    expected="${BASH_REMATCH[1]}"
  fi
  bash -c "$line" >"$work/out" 2>&1
  actual=$?
  if [ "$actual" -eq "$expected" ]; then
    echo "ok    (exit $actual)  $line"
  else
    echo "FAIL  (exit $actual, expected $expected)  $line"
    sed 's/^/        /' "$work/out" | tail -20
    failures=$((failures + 1))
  fi
done <<<"$examples"
echo "$failures of $(grep -c . <<<"$examples") README example lines failed"
[ "$failures" -eq 0 ]
