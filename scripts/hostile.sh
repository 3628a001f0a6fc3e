#!/usr/bin/env bash
# hostile.sh: run kiosk against issue 8's hostile feeds and pages and print,
# for each command, its exit status, wall time and peak RSS (GNU time).
# Usage: scripts/hostile.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/kiosk" ./cmd/kiosk
go build -o "$work/hostilesite" ./scripts/hostilesite
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(freeport); busy=$(freeport)
"$work/hostilesite" -addr "127.0.0.1:$port" -busy-addr "127.0.0.1:$busy" -write "$work/site" 2>"$work/site.log" &
srv=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/good.xml" >/dev/null 2>&1 && break; sleep 0.1; done
K=("$work/kiosk" --config "$work/site/config.toml" --data-dir "$work/data")
measure() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || rc=$?
  read -r secs kb < <(tail -n 1 "$work/time")
  printf '%-40s exit %-3s %6ss %7.1f MB  %s\n' "$label" "$rc" "$secs" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$(tail -n 1 "$work/err" | cut -c1-70)"
}
measure "sync (all hostile feeds + a good one)" "${K[@]}" sync
grep -E '^feeds:|note:|  failed: http://127.0.0.1:[0-9]+/(busy/0|deep|cut|huge|lan|refs|utf)' "$work/err" | head -30 || true
measure "list --limit 5" "${K[@]}" list --limit 5
measure "search words" "${K[@]}" search words
for f in markdown text ansi json; do
  measure "read quotes.html --format $f" "${K[@]}" read "$work/site/quotes.html" --format "$f"
  measure "read deephtml.html --format $f" "${K[@]}" read "$work/site/deephtml.html" --format "$f"
done
measure "read URL quotes.html --format text" "${K[@]}" read "http://127.0.0.1:$port/quotes.html" --format text
du -h "$work/data/kiosk.db" | sed 's/^/cache size: /'
