#!/usr/bin/env bash
# Points cargo at Debian's vendored crates (/usr/share/cargo/registry, apt packages librust-*-dev)
# when crates.io is unreachable, by writing a source replacement into $CARGO_HOME/config.toml.
# Ordinary machines with crates.io are left untouched. Idempotent.
set -euo pipefail
cargo_home=${CARGO_HOME:-$HOME/.cargo}
config="$cargo_home/config.toml"
marker="# contextforge: offline crates (tools/scripts/cargo-offline.sh)"

if [ -f "$config" ] && grep -qF "$marker" "$config"; then
  exit 0
fi
if [ "${CONTEXTFORGE_CARGO_OFFLINE:-}" != 1 ] && curl -fsS --max-time 5 -o /dev/null https://index.crates.io/config.json 2>/dev/null; then
  exit 0
fi
if [ ! -d /usr/share/cargo/registry ]; then
  echo "[cargo-offline] crates.io is unreachable and /usr/share/cargo/registry is missing: install Debian's librust-*-dev packages" >&2
  exit 1
fi
mkdir -p "$cargo_home"
cat >>"$config" <<CONFIG

$marker
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
CONFIG
echo "[cargo-offline] cargo now uses Debian's vendored crates ($config)" >&2
