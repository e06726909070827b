#!/usr/bin/env bash
# Builds the chapter in release mode and serves dist/ on http://127.0.0.1:8080.
# Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
bash scripts/setup.sh
echo "Building and serving The Dealer Book at http://127.0.0.1:8080/ (Ctrl-C to stop)"
# No auto-reload: its inline script and websocket would break the pages' own strict CSP.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080
