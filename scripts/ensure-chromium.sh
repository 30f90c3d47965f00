#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (Playwright drives it through
# executable_path; no browser is ever downloaded by Playwright). Installs the Debian
# package when run as root; otherwise says what is missing.
set -euo pipefail
CHROMIUM=${ZHIFA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium package"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "ensure-chromium: $CHROMIUM not found (install Debian's chromium package)" >&2
exit 1
