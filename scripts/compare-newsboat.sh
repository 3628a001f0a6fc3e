#!/usr/bin/env bash
# compare-newsboat.sh: kiosk against newsboat on the same generated feeds,
# served from loopback by scripts/feedserver, whole processes, alternating
# runs, medians reported:
#   cold   `newsboat -x reload` and `kiosk sync --no-articles` into empty caches
#   warm   the same when every feed answers 304 for both tools; the server's
#          request log is checked for every timed run and the check printed
#          (newsboat sends conditional requests only from its third reload, so
#          both tools reload untimed until a run is all 304 first)
#   frame  the interactive reader of each, from start to its first frame with
#          the FEEDS × ITEMS items the cold runs stored (scripts/first-frame.py)
#
# usage: scripts/compare-newsboat.sh [FEEDS [ITEMS]]     (default 100 feeds × 500 items)
# env:   RUNS=N              alternating runs of each measurement (default 5)
#        NEWSBOAT_THREADS=N  newsboat's reload-threads (default: newsboat's own, 1)
#        LIKE=FILE           news-sized items modelled on the real Atom feed FILE
#                            (scripts/feedserver -like), e.g.
#                            LIKE=fetch/testdata/feeds/heise-atom-2024-10-24.xml;
#                            default: generated items with one-line teasers
#
# Installs the Debian package newsboat with apt-get when it is missing (and
# says so). Everything else stays in a temporary directory that is removed at
# the end; nothing leaves the machine.
set -euo pipefail

feeds=${1:-100}
items=${2:-500}
runs=${RUNS:-5}
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

log=$work/requests.log
like=()
if [[ -n ${LIKE:-} ]]; then like=(-like "$(cd "$(dirname "$LIKE")" && pwd)/$(basename "$LIKE")"); fi
"$work/feedserver" "${like[@]}" -feeds "$feeds" -items "$items" -urls "$work/urls" -log "$log" >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
	[[ -s $work/urls ]] && grep -q serving "$work/server.out" && break
	sleep 0.05
done
[[ -s $work/urls ]] || { echo "feed server did not start:" >&2; cat "$work/server.out" >&2; exit 1; }
head -1 "$work/server.out" >&2
touch "$log"

# kiosk config: the same feed URLs.
while read -r u; do printf '[[feed]]\nurl = "%s"\n\n' "$u"; done <"$work/urls" >"$work/kiosk.toml"
# newsboat config: defaults, except the thread count when asked.
: >"$work/newsboat.conf"
if [[ -n ${NEWSBOAT_THREADS:-} ]]; then echo "reload-threads $NEWSBOAT_THREADS" >>"$work/newsboat.conf"; fi

nb() { newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" -x reload; }
ks() { "$work/kiosk" --config "$work/kiosk.toml" --data-dir "$work/kiosk-data" sync --no-articles; }

# timed runs a command, appends its wall time in seconds to the file $1 and
# leaves the server's answers to it in $work/answers ("STATUS COUNT" lines).
timed() {
	local out=$1 off t0 t1
	shift
	off=$(stat -c %s "$log")
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$work/last.err" || { echo "failed: $*" >&2; cat "$work/last.err" >&2; exit 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out"
	tail -c +$((off + 1)) "$log" | awk '{ n[$1]++ } END { for (s in n) print s, n[s] }' | sort >"$work/answers"
}
# answered prints how the last timed run was answered, e.g. "100 × 304".
answered() { awk '{ printf "%s%d × %s", (NR > 1 ? ", " : ""), $2, $1 }' "$work/answers"; }
all304() { [[ $(awk '$1 == 304 { print $2 }' "$work/answers") == "$feeds" && $(wc -l <"$work/answers") -eq 1 ]]; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "cold: $runs alternating runs into empty caches" >&2
for i in $(seq "$runs"); do
	rm -f "$work/newsboat.db"
	timed "$work/nb-cold" nb
	echo "  cold run $i: newsboat $(tail -1 "$work/nb-cold") s ($(answered))" >&2
	rm -rf "$work/kiosk-data"
	timed "$work/ks-cold" ks
	echo "  cold run $i: kiosk    $(tail -1 "$work/ks-cold") s ($(answered))" >&2
done

# Reload untimed until a whole run is answered 304 (newsboat: from its third reload).
for tool in nb ks; do
	for attempt in $(seq 6); do
		timed "$work/warmup" "$tool"
		if all304; then break; fi
		if [[ $attempt -eq 6 ]]; then echo "$tool never reached an all-304 reload: $(answered)" >&2; exit 1; fi
	done
	echo "warm-up: $tool answered 304 throughout from its reload $((attempt + 1)) (the cold run is reload 1)" >&2
done

echo "warm: $runs alternating runs, each checked against the server's log" >&2
checks=""
for i in $(seq "$runs"); do
	timed "$work/nb-warm" nb
	all304 || { echo "newsboat warm run $i was not all 304: $(answered)" >&2; exit 1; }
	checks+="  warm run $i: newsboat $(answered)"
	timed "$work/ks-warm" ks
	all304 || { echo "kiosk warm run $i was not all 304: $(answered)" >&2; exit 1; }
	checks+=", kiosk $(answered)"$'\n'
done

echo "first frame: $runs alternating runs on the caches the cold runs filled" >&2
for i in $(seq "$runs"); do
	python3 "$root/scripts/first-frame.py" '\(\d+/\d+\)' -- \
		newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/newsboat.conf" >>"$work/nb-frame"
	KIOSK_DATA_DIR=$work/kiosk-data python3 "$root/scripts/first-frame.py" --quit Q '\d+/\d+' -- \
		"$work/kiosk" --config "$work/kiosk.toml" --offline >>"$work/ks-frame"
done

nb_cold=$(median "$work/nb-cold") ks_cold=$(median "$work/ks-cold")
nb_warm=$(median "$work/nb-warm") ks_warm=$(median "$work/ks-warm")
nb_frame=$(median "$work/nb-frame") ks_frame=$(median "$work/ks-frame")

printf '\n%d feeds × %d items (%s) from %s, %s cores, load average %s\n' "$feeds" "$items" \
	"${LIKE:-one-line teasers}" "$(head -1 "$work/urls" | cut -d/ -f3)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
head -1 "$work/server.out"
printf 'medians of %d alternating runs        %10s %10s %10s\n' "$runs" "newsboat" "kiosk" "kiosk/nb"
printf '%-38s %9ss %9ss %10s\n' "reload, cold" "$nb_cold" "$ks_cold" "$(ratio "$ks_cold" "$nb_cold")"
printf '%-38s %9ss %9ss %10s\n' "reload, warm (all 304)" "$nb_warm" "$ks_warm" "$(ratio "$ks_warm" "$nb_warm")"
printf '%-38s %8sms %8sms %10s\n' "first frame, $((feeds * items)) items" "$nb_frame" "$ks_frame" "$(ratio "$ks_frame" "$nb_frame")"
echo "newsboat $(newsboat --version | head -1 | cut -d' ' -f2) -x reload; kiosk sync --no-articles; every run (newsboat / kiosk):"
echo "  cold $(tr '\n' ' ' <"$work/nb-cold")/ $(tr '\n' ' ' <"$work/ks-cold")s"
echo "  warm $(tr '\n' ' ' <"$work/nb-warm")/ $(tr '\n' ' ' <"$work/ks-warm")s"
echo "  first frame $(tr '\n' ' ' <"$work/nb-frame")/ $(tr '\n' ' ' <"$work/ks-frame")ms"
echo "the server's answers to the timed warm runs:"
printf '%s' "$checks"
