#!/usr/bin/env bash
# perf-all.sh: one run of every figure in docs/PERFORMANCE.md, in sequence,
# printed as a Markdown report of raw figures: each section names its command
# and shows the load (uptime) before and after it.
#
# usage: scripts/perf-all.sh [SECTION ...] > report.md    (from anywhere; about 15 minutes)
# sections (default: all, in this order):
#   start     process start, list, search (common and rare word), first frame
#             and keys at 10k, 50k and 200k entries (scripts/perf-start.py)
#   warm      warm sync (every feed answers 304) of 100 feeds at 10k, 50k and
#             200k entries, whole processes (hyperfine), checked in the
#             feed server's log
#   sync      cold sync 100 × 500 with peak RSS, list process, articles and
#             pictures from loopback (go test ./cmd/kiosk)
#   cache     the cache benchmarks (go test ./cache)
#   ui        keys, opening articles, rendering, pictures (go test ./ui), the
#             reader's memory after 50 articles (scripts/tui-measure.py) and
#             an idle reader's cost (scripts/idle-wakeups.py)
#   extract   extraction (go test ./fetch/extract) and feed parsing (./fetch)
#   hostile   issue 8's hostile inputs, whole processes (scripts/hostile.sh)
#   server    sync with Miniflux (go test ./fetch/remote), when
#             $KIOSK_MINIFLUX or /tmp/mf/bin/miniflux.app is there
#   newsboat  kiosk against newsboat, generated one-line teasers and news-sized
#             items modelled on the real heise feed (scripts/compare-newsboat.sh)
#   nom       tries to build nom (github.com/guyfedwards/nom) for the same
#             comparison and says what happened
# env: PERF_QUICK=1 runs every section with very few repetitions (to try the
#      script, not for figures).
#
# The benchmark caches are built once under $TMPDIR by `go run ./scripts/benchcache`
# (cache/cachetest; minutes the first time) and reused; the reader marks what
# it opens read, so it gets private copies ($TMPDIR/kiosk-perf-<N>k).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tmp=${TMPDIR:-/tmp}
work=$(mktemp -d)
server_pid=""
cleanup() {
	if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

quick=${PERF_QUICK:-}
q() { if [[ -n $quick ]]; then echo "$2"; else echo "$1"; fi; } # q FULL QUICK
sections=("$@")
if [[ ${#sections[@]} -eq 0 ]]; then sections=(start warm sync cache ui extract hostile server newsboat nom); fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
section() {
	printf '\n## %s\n\n' "$1"
	printf 'started %s, load average %s\n\n' "$(date -u +%H:%M:%S)" "$(load)"
}
endsection() { printf '\nended %s, load average %s\n' "$(date -u +%H:%M:%S)" "$(load)"; }
# cmd prints a command as it is run, then runs it with its output in a code block.
# A command that fails is reported with its exit status and the run goes on.
cmd() {
	printf '```\n$ %s\n' "$*"
	{
		"$@" 2>&1
		echo $? >"$work/rc"
	} | tee -a "$work/full.log" | filter
	if [[ $(cat "$work/rc") != 0 ]]; then echo "FAILED: exit status $(cat "$work/rc")"; fi
	printf '```\n'
}
# filter keeps go test's figures and verdicts (everything else of other commands).
filter() { grep -Ev '^(goos|goarch|pkg|cpu):|^PASS$|^building|^copying' || true; }

section "machine and build"
echo '```'
echo "date $(date -u '+%Y-%m-%d %H:%M:%S UTC'); commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (with uncommitted changes)')"
echo "$(go version); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem/ { print $2 }') GiB"
echo "$(newsboat --version 2>/dev/null | head -1 || echo 'newsboat: not installed'); $(hyperfine --version)"
uptime
echo '```'
go build -o "$work/kiosk" ./cmd/kiosk
go build -o "$work/feedserver" ./scripts/feedserver
bin=$work/kiosk
declare -A shared
for n in 10000 50000 100000 200000; do shared[$n]=$(go run ./scripts/benchcache -n "$n"); done
feeds150k=$(go run ./scripts/benchcache -feeds 300 -n 150000)

# private N: a data dir with a private copy of the shared cache of N entries.
private() {
	local d=$tmp/kiosk-perf-$(($1 / 1000))k
	if [[ ! -f $d/copied-from || $(cat "$d/copied-from") != "${shared[$1]}" ]]; then
		mkdir -p "$d"
		rm -f "$d"/kiosk.db*
		cp "${shared[$1]}" "$d/kiosk.db"
		printf '%s' "${shared[$1]}" >"$d/copied-from"
	fi
	echo "$d"
}

# hf LABEL RUNS CMD...: hyperfine's median, min and max wall time and mean CPU.
hf() {
	local label=$1 runs=$2
	shift 2
	hyperfine -N -w 2 -r "$runs" --export-json "$work/hf.json" "$*" >/dev/null 2>"$work/hf.err" || {
		cat "$work/hf.err"
		return 1
	}
	python3 - "$label" "$work/hf.json" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[2]))["results"][0]
t = [x * 1000 for x in r["times"]]
print(f"{sys.argv[1]}: median {statistics.median(t):.1f} ms (min {min(t):.1f}, max {max(t):.1f}, {len(t)} runs), "
      f"CPU {(r['user'] + r['system']) * 1000:.1f} ms (mean user+sys)")
EOF
}

# feedserver FEEDS ITEMS: serves generated feeds, URLs in $work/urls, requests logged to $work/requests.log.
start_feedserver() {
	rm -f "$work/urls" "$work/requests.log"
	"$work/feedserver" -feeds "$1" -items "$2" -urls "$work/urls" -log "$work/requests.log" >"$work/server.out" 2>&1 &
	server_pid=$!
	for _ in $(seq 100); do
		[[ -s $work/urls ]] && grep -q serving "$work/server.out" && break
		sleep 0.05
	done
	touch "$work/requests.log"
	while read -r u; do printf '[[feed]]\nurl = "%s"\n\n' "$u"; done <"$work/urls" >"$work/kiosk.toml"
}
stop_feedserver() {
	kill "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
}

for s in "${sections[@]}"; do
	case $s in
	start)
		section "process start, list, search, first frame and keys at 10k, 50k and 200k entries (issue 13)"
		for n in 10000 50000 200000; do
			d=$(private "$n")
			cmd python3 scripts/perf-start.py --entries "$n" --search --runs "$(q 20 4)" --rounds 1 \
				--keys "$(q 150 10)" "$bin@$d"
		done
		endsection
		;;
	warm)
		section "warm sync (all 304) of 100 feeds at 10k, 50k and 200k entries (issue 13)"
		echo "Each: \`kiosk sync --no-articles\` of 100 feeds from scripts/feedserver on loopback, timed by"
		echo "hyperfine after an untimed cold and warm sync; the server's log is checked for the timed runs."
		echo
		echo '```'
		for size in 10k:100:"" 50k:500:"" 200k:500:"$feeds150k"; do
			IFS=: read -r name items extra <<<"$size"
			start_feedserver 100 "$items"
			data=$work/warm-$name
			mkdir -p "$data"
			if [[ -n $extra ]]; then cp "$extra" "$data/kiosk.db"; fi
			ks=("$bin" --config "$work/kiosk.toml" --data-dir "$data" sync --no-articles)
			"${ks[@]}" >/dev/null 2>"$work/sync.err" || { cat "$work/sync.err"; exit 1; }
			"${ks[@]}" >/dev/null 2>"$work/sync.err" || { cat "$work/sync.err"; exit 1; }
			off=$(wc -l <"$work/requests.log")
			runs=$(q 15 3)
			hf "warm $name (100 feeds × $items items$([[ -n $extra ]] && echo ' + 150,000 entries of 300 other feeds'))" "$runs" "${ks[@]}"
			tail -n +$((off + 1)) "$work/requests.log" | awk -v want=$((100 * (runs + 2))) \
				'{ n[$1]++; all++ } END { printf "  the server answered the timed runs (and hyperfine'"'"'s 2 warm-ups): "; for (s in n) printf "%d × %s ", n[s], s; print (n[304] == want && all == want ? "(all 304)" : "(NOT all 304)") }'
			echo "  kiosk's summary of the last run: $(grep -E 'ok|feeds' "$work/sync.err" | tail -1)"
			echo "  entries in the cache: $(sqlite3 "$data/kiosk.db" 'select count(*) from entries')"
			stop_feedserver
			rm -rf "$data"
		done
		echo '```'
		endsection
		;;
	sync)
		section "cold sync 100 × 500 with peak RSS, list process, articles and pictures (issues 3, 4, 11, 13)"
		cmd go test ./cmd/kiosk -run '^$' -bench 'SyncProcess/cold' -benchtime "$(q 5x 1x)"
		cmd go test ./cmd/kiosk -run '^$' -bench 'ListProcess$' -benchtime "$(q 20x 2x)"
		cmd go test ./cmd/kiosk -run '^$' -bench 'SyncCacheArticles$' -benchtime "$(q 3x 1x)"
		cmd go test ./cmd/kiosk -run '^$' -bench 'SyncCacheArticlesPictures' -benchtime 1x
		endsection
		;;
	cache)
		section "cache benchmarks (issues 3, 10, 13)"
		cmd go test ./cache -run '^$' -bench 'OpenListPage500|SearchRare|SearchCommon|Search200k|StoreBatch1000|FileSize' -benchtime "$(q 10x 1x)"
		cmd go test ./cache -run '^$' -bench 'PruneNothing|WarmSync100x304|ResaveKnown100x500|SaveFeedsCold100x500' -benchtime "$(q 5x 1x)"
		cmd go test ./cache -run '^$' -bench 'Overview|MarkAllRead|UndoMarkAll' -benchtime "$(q 10x 1x)"
		cmd go test ./cache -run '^$' -bench 'Changed' -benchtime "$(q 1s 100x)"
		endsection
		;;
	ui)
		section "the reader (issues 2, 5, 11, 13)"
		cmd go test ./ui -run '^$' -bench 'ListKeypress100k' -benchtime "$(q 3000x 100x)"
		cmd go test ./ui -run '^$' -bench 'OpenArticle|Reopen|RenderSeed|RenderColdRenderer|PictureLines' -benchtime "$(q 200x 5x)" -benchmem
		d=$(private 100000)
		cmd python3 scripts/tui-measure.py "$bin" "$d" "$(q 49 5)" "$(q 5 1)"
		cmd python3 scripts/idle-wakeups.py "$d" "$bin"
		endsection
		;;
	extract)
		section "extraction and feed parsing (issues 2, 8, 9)"
		cmd go test ./fetch/extract -run xxx -bench 'ExtractHeise2024|ReadabilityHeise2024|ExtractNewsDE' -benchmem -count "$(q 3 1)"
		cmd go test ./fetch/extract -run xxx -bench 'ExtractHostile' -benchtime "$(q 3x 1x)" -benchmem
		cmd go test ./fetch -run xxx -bench 'ParseFeedDeepNesting|ParseFeedHuge|PrepareFeed|ParseFeedHeise|MakePicture' -benchmem
		endsection
		;;
	hostile)
		section "hostile input, whole processes (issue 8)"
		cmd scripts/hostile.sh
		endsection
		;;
	server)
		section "sync with a feed server: Miniflux on PostgreSQL (issue 12)"
		mf=${KIOSK_MINIFLUX:-/tmp/mf/bin/miniflux.app}
		if [[ -x $mf ]]; then
			cmd env KIOSK_MINIFLUX="$mf" go test ./fetch/remote -run '^$' -bench ServerSync -benchtime "$(q 3x 1x)"
		else
			echo "not measured: no Miniflux binary at $mf (set KIOSK_MINIFLUX; see fetch/remote/remotetest)"
		fi
		endsection
		;;
	newsboat)
		section "against newsboat (issue 13)"
		cmd env RUNS="$(q 5 1)" scripts/compare-newsboat.sh 100 "$(q 500 50)"
		cmd env RUNS="$(q 3 1)" LIKE=fetch/testdata/feeds/heise-atom-2024-10-24.xml scripts/compare-newsboat.sh 100 "$(q 500 50)"
		endsection
		;;
	nom)
		section "against nom"
		nomdir=$work/nom
		mkdir -p "$nomdir"
		echo '```'
		echo "\$ GOBIN=$nomdir go install github.com/guyfedwards/nom/cmd/nom@latest"
		# (the registry's address left out of the report)
		if (cd "$nomdir" && GOBIN=$nomdir timeout 300 go install github.com/guyfedwards/nom/cmd/nom@latest) 2>&1 |
			sed -E 's#https?://[^ ]*#(the module proxy)#g'; [[ ${PIPESTATUS[0]} == 0 ]]; then
			echo "built $("$nomdir/nom" version 2>&1 | head -1); not measured by this script yet"
		else
			echo "nom could not be built here: not measured"
		fi
		echo '```'
		endsection
		;;
	*)
		echo "unknown section $s" >&2
		exit 2
		;;
	esac
done
