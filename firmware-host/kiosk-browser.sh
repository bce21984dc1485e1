#!/usr/bin/env bash
# Opens the station's kiosk UI full screen once it answers: firmware-host/kiosk-browser.sh [URL]
#   URL      default http://127.0.0.1:5180/ (SPINESCAN_KIOSK_URL)
#   CHROMIUM the browser (default: chromium, else chromium-browser, else google-chrome)
# The browser gets a profile of its own under $XDG_RUNTIME_DIR (nothing kept across boots), no first-run pages, no
# translation or password prompts, no pinch or swipe navigation; closing it makes systemd start it again.
set -euo pipefail
url=${1:-${SPINESCAN_KIOSK_URL:-http://127.0.0.1:5180/}}
wait_seconds=${SPINESCAN_KIOSK_WAIT_SECONDS:-120}
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
    done
fi
[ -n "$browser" ] || { echo "kiosk-browser.sh: no Chromium found; install chromium or set CHROMIUM" >&2; exit 1; }

# The station starts in a few seconds (longer on the first boot): wait for its port rather than show an error page.
[[ $url =~ ^[a-z]+://([^/:]+)(:([0-9]+))? ]] || { echo "kiosk-browser.sh: '$url' is not an http URL" >&2; exit 2; }
host=${BASH_REMATCH[1]}
port=${BASH_REMATCH[3]:-80}
for ((i = 0; ; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then break; fi
    if ((i >= wait_seconds * 2)); then
        echo "kiosk-browser.sh: the station does not answer at $url after ${wait_seconds} s (systemctl status spinescan)" >&2
        exit 1
    fi
    sleep 0.5
done

profile="${XDG_RUNTIME_DIR:-/tmp}/spinescan-kiosk-browser"
mkdir -p "$profile"
exec "$browser" --kiosk --app="$url" --user-data-dir="$profile" \
    --no-first-run --noerrdialogs --disable-infobars --disable-session-crashed-bubble --disable-translate \
    --disable-features=TranslateUI,PasswordManagerOnboarding --password-store=basic \
    --overscroll-history-navigation=0 --disable-pinch \
    --disable-background-networking --disable-component-update --disable-sync --check-for-update-interval=31536000
