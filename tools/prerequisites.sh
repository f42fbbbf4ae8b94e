#!/usr/bin/env bash
# Runs first in every Maven build of this checkout (the parent pom's validate phase), so that a tool
# the infra tests need and this machine lacks is said in one line, before minutes of compiling and
# testing. Java is Maven's own business; what the infra tests add:
#   - Node.js with npm: 'npm ci' installs the CDK CLI and asl-validator pinned by infra/package-lock.json;
#   - cfn-lint: the one on the PATH, else one installed here into target/tools/cfn-lint (a Python
#     virtual environment: needs Python 3 and the package index once).
# It writes the cfn-lint to use to target/tools/cfn-lint.path, which the infra tests read.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/target/tools"
cfn_lint_version="1.51.0"   # pinned, like the npm tools; a cfn-lint on the PATH is used as it is

say() { echo "deckhand build: $*" >&2; }

# Builds that do not run the infra tests need none of this: '-pl' without infra, or tests skipped.
args=" ${MAVEN_CMD_LINE_ARGS:-} "
projects="$(sed -n 's/.* \(-pl\|--projects\)[ =]\([^ ]*\) .*/\2/p' <<<"$args")"
if [[ -n "$projects" && "$projects" != *infra* ]] || [[ "$args" == *" -DskipTests "* ]] \
    || [[ "$args" == *" -Dmaven.test.skip=true "* ]]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "Node.js with npm is needed for the infra tests (npm ci installs the CDK CLI and asl-validator): install Node.js 18 or newer (https://nodejs.org/, or e.g. 'sudo apt-get install nodejs npm'), or build without them: ./mvnw -B verify -pl '!infra'"
  exit 1
fi

mkdir -p "$tools"
if command -v cfn-lint >/dev/null 2>&1; then
  command -v cfn-lint >"$tools/cfn-lint.path"
  exit 0
fi
venv="$tools/cfn-lint"
if [ -x "$venv/bin/cfn-lint" ] && "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$cfn_lint_version"; then
  echo "$venv/bin/cfn-lint" >"$tools/cfn-lint.path"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  say "cfn-lint is not on the PATH and Python 3 is missing to install it here: install Python 3 (e.g. 'sudo apt-get install python3 python3-venv'), or cfn-lint itself ('pipx install cfn-lint')"
  exit 1
fi
say "cfn-lint is not on the PATH: installing cfn-lint $cfn_lint_version into target/tools/cfn-lint (once) ..."
log="$tools/cfn-lint-install.log"
if ! { python3 -m venv "$venv" && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "cfn-lint==$cfn_lint_version"; } >"$log" 2>&1; then
  rm -rf "$venv"
  say "could not install cfn-lint into target/tools/cfn-lint ($(grep -v '^\s*$' "$log" | tail -1)); install it yourself ('pipx install cfn-lint' or 'pip install cfn-lint', needs the Python package index), then build again; details in $log"
  exit 1
fi
echo "$venv/bin/cfn-lint" >"$tools/cfn-lint.path"
