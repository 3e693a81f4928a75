#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, tests, and ends
# with one line totalling them: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet (the .NET 10 SDK) is required on PATH" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The real Claude Code CLI for the end-to-end tests, at the version pinned in tools/package.json.
pinned=$(sed -n 's/.*"@anthropic-ai\/claude-code": *"\([^"]*\)".*/\1/p' tools/package.json)
installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' tools/node_modules/@anthropic-ai/claude-code/package.json 2>/dev/null | head -n 1)
# ... and the reference MCP server the MCP tests attach to agents.
mcp_pinned=$(sed -n 's/.*"@modelcontextprotocol\/server-everything": *"\([^"]*\)".*/\1/p' tools/package.json)
mcp_installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' tools/node_modules/@modelcontextprotocol/server-everything/package.json 2>/dev/null | head -n 1)
if [ ! -x tools/node_modules/.bin/claude ] || [ "$installed" != "$pinned" ] || [ "$mcp_installed" != "$mcp_pinned" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is required to install the Claude Code CLI for the end-to-end tests" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "Installing @anthropic-ai/claude-code@$pinned and @modelcontextprotocol/server-everything@$mcp_pinned into tools/ ..."
  if ! npm install --prefix tools --no-audit --no-fund --no-package-lock --loglevel=error; then
    echo "could not install the Claude Code CLI" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# Debian packages the tests drive for real: installed once, with one apt-get update.
apt_install() { # package, what it is for
  echo "Installing $1 ..."
  local as_root=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then as_root="sudo"; fi
  if [ -z "${apt_updated:-}" ]; then $as_root apt-get update -qq && apt_updated=1; fi
  if ! DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$1" >/dev/null; then
    echo "could not install $1 (apt-get install $1) for $2" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
}
# Chromium: Playwright drives it headless for the dashboard's browser tests.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${OVERSEER_TEST_CHROMIUM:-}" ]; then
  apt_install chromium "the dashboard tests"
fi
# bubblewrap: every agent runs inside it, and the sandbox and classifier-oracle tests use it for real.
if ! command -v bwrap >/dev/null 2>&1; then
  apt_install bubblewrap "the sandbox tests"
fi

# The dashboard's browser libraries (web/package.json); the build fetches them too when missing.
if [ ! -f web/node_modules/htmx.org/dist/htmx.min.js ] || [ ! -f web/node_modules/htmx-ext-sse/dist/sse.min.js ]; then
  if ! npm install --prefix web --no-audit --no-fund --no-package-lock --loglevel=error; then
    echo "could not install the dashboard's browser libraries from npm" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

if ! dotnet restore Overseer.slnx || ! dotnet build Overseer.slnx -c Release --no-restore -warnaserror; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Overseer.slnx -c Release --no-build --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=2400000
status=$?

# Total every test project's counters from its TRX report.
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failing test (a crashed test host): count it.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
