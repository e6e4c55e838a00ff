#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run them all.
# Usage (from the project folder): bash tests/install-and-run.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages the tests need, each installed only when missing: chromium for the browser
# tests, haproxy for the class server (python -m playground.serve) and the load test through it,
# postgresql for class mode's tests on PostgreSQL (tests/postgres.py starts a throw-away server).
APT=()
[ -x /usr/bin/chromium ] || APT+=(chromium fonts-noto-cjk fonts-noto-color-emoji)
[ -x /usr/sbin/haproxy ] || APT+=(haproxy)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || APT+=(postgresql)
if [ ${#APT[@]} -gt 0 ]; then
  echo "Installing Debian's ${APT[*]} for the tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-test.txt

exec .venv/bin/python -m pytest tests --timeout=600 -q "$@"
