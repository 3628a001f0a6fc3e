#!/usr/bin/env bash
# compare-newsboat.sh: time `newsboat -x reload` and `kiosk sync --no-articles`
# on the same generated feeds served from loopback, cold (empty cache) and
# warm (every feed answers 304).
#
# usage: scripts/compare-newsboat.sh [FEEDS [ITEMS]]     (default 100 feeds × 500 items)
# env:   NEWSBOAT_THREADS=N  newsboat's reload-threads (default: newsboat's own default, 1)
#        RUNS=N              warm runs to time (default 3; the best is reported)
#
# Installs the Debian package newsboat with apt-get when it is missing (and
# says so). Everything else stays in a temporary directory that is removed at
# the end; nothing leaves the machine.
set -euo pipefail

feeds=${1:-100}
items=${2:-500}
runs=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
	if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if ! command -v newsboat >/dev/null; then
	echo "newsboat is not installed: installing the Debian package with apt-get" >&2
	if [[ $(id -u) -eq 0 ]]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y newsboat >&2
	else
		sudo DEBIAN_FRONTEND=noninteractive apt-get install -y newsboat >&2
	fi
fi

echo "building kiosk and the feed server" >&2
(cd "$root" && go build -o "$work/kiosk" ./cmd/kiosk && go build -o "$work/feedserver" ./scripts/feedserver)

"$work/feedserver" -feeds "$feeds" -items "$items" -urls "$work/urls" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
	[[ -s $work/urls ]] && grep -q serving "$work/server.log" && break
	sleep 0.05
done
[[ -s $work/urls ]] || { echo "feed server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
head -1 "$work/server.log" >&2

# kiosk config: the same feed URLs.
while read -r u; do printf '[[feed]]\nurl = "%s"\n\n' "$u"; done <"$work/urls" >"$work/kiosk.toml"
# newsboat config: defaults, except the thread count when asked.
: >"$work/newsboat.conf"
if [[ -n ${NEWSBOAT_THREADS:-} ]]; then echo "reload-threads $NEWSBOAT_THREADS" >>"$work/newsboat.conf"; fi

# seconds runs a command and prints its wall time in seconds.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$work/last.err" || { echo "failed: $*" >&2; cat "$work/last.err" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l | xargs printf '%.3f'
}
best() { # best of $runs runs
	local b="" t
	for _ in $(seq "$runs"); do
		t=$(seconds "$@")
		if [[ -z $b ]] || (($(echo "$t < $b" | bc -l))); then b=$t; fi
	done
	echo "$b"
}

nb() { newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" -x reload; }
ks() { "$work/kiosk" --config "$work/kiosk.toml" --data-dir "$work/kiosk-data" sync --no-articles; }

rm -f "$work/newsboat.db"
nb_cold=$(seconds nb)
nb_warm=$(best nb)
rm -rf "$work/kiosk-data"
ks_cold=$(seconds ks)
ks_warm=$(best ks)
ks_last=$(grep '^feeds:' "$work/last.err" || true)

printf '\n%d feeds × %d items from %s, %s\n' "$feeds" "$items" "$(head -1 "$work/urls" | cut -d/ -f3)" "$(nproc) cores"
printf '%-34s %8s %8s\n' "" "cold" "warm"
printf '%-34s %7ss %7ss\n' "newsboat $(newsboat --version | head -1 | cut -d' ' -f2) -x reload" "$nb_cold" "$nb_warm"
printf '%-34s %7ss %7ss\n' "kiosk sync --no-articles" "$ks_cold" "$ks_warm"
echo "(warm: best of $runs runs; kiosk's last summary: ${ks_last:-none})"
