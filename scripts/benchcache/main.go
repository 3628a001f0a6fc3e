// Command benchcache prints the path of the shared generated benchmark
// cache of n entries for the current cache schema (cache/cachetest), building
// it first when it is missing (minutes for 200,000 entries). Scripts such as
// scripts/perf-start.py use it to find the cache the Go benchmarks use.
// With -feeds it is the cache of n entries spread over that many feeds
// without articles (cachetest.SharedFeeds), as the sync and overview
// benchmarks use.
//
//	go run ./scripts/benchcache -n 200000
//	go run ./scripts/benchcache -feeds 300 -n 150000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

func main() {
	n := flag.Int("n", 200_000, "entries in the cache")
	feeds := flag.Int("feeds", 0, "spread the entries over this many feeds, without articles (0: the article cache)")
	flag.Parse()
	var path string
	var err error
	if *feeds > 0 {
		path, err = cachetest.BuildSharedFeeds(context.Background(), *feeds, *n)
	} else {
		path, err = cachetest.BuildShared(context.Background(), *n)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcache:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}
