#!/usr/bin/env bash
# Installs what a fresh machine lacks: Debian's Chromium and CJK fonts (for the browser tests and
# screenshots) and the npm dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
	echo "setup: installing chromium and fonts-noto-cjk from Debian"
	SUDO=""
	if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	# `npm install` (not `npm ci`): @duckdb/node-bindings lists per-platform optional packages, some of which
	# the registry does not have for this version, and `npm ci` refuses a lockfile without them.
	echo "setup: npm install"
	npm install --no-audit --no-fund
fi
echo "setup: ready (node $(node --version), $(/usr/bin/chromium --version 2>/dev/null || echo 'no chromium'))"
