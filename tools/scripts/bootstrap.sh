#!/usr/bin/env bash
# The README's two commands, on a fresh machine with Node >= 20 and Rust:
#   bash tools/scripts/bootstrap.sh start   install + build + start the gateway (SQLite, :4444)
#   bash tools/scripts/bootstrap.sh test    install + build + every test (what CI runs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PNPM_VERSION=10.34.9
mode=${1:-}
case "$mode" in
  start | test) ;;
  *)
    echo "usage: bash tools/scripts/bootstrap.sh start|test" >&2
    exit 2
    ;;
esac

log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }
die() {
  printf '[bootstrap] error: %s\n' "$*" >&2
  exit 1
}

command -v node >/dev/null || die "Node.js >= 20 is required (https://nodejs.org)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"
command -v cargo >/dev/null || die "Rust (cargo) is required for the native addons (https://rustup.rs)"

# pnpm: the pinned version, globally if we may, else in a project-local prefix.
if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  log "installing pnpm@$PNPM_VERSION"
  if ! npm install --global --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    npm install --prefix "$PWD/.tools/pnpm" --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$PWD/.tools/pnpm/node_modules/.bin:$PATH"
  fi
  hash -r
fi

# Native npm dependencies build from source where no prebuilt binary can be downloaded; use the
# Node headers the OS ships instead of letting node-gyp download them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

# Rust crates: from crates.io when reachable, else from Debian's vendored crates.
bash tools/scripts/cargo-offline.sh

export NX_DAEMON=${NX_DAEMON:-false}
log "pnpm install"
pnpm install --frozen-lockfile

if [ "$mode" = test ]; then
  log "pnpm ready (lint, typecheck, build incl. native, tests, install test)"
  exec pnpm ready
fi

log "pnpm build"
pnpm build
log "starting the gateway"
exec pnpm start
