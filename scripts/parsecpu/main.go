// Command parsecpu measures the CPU time fetch.ParseFeed spends on the
// feeds a cold sync downloads: it fetches every URL of a list once (from
// scripts/feedserver), then parses all bodies -rounds times on one
// goroutine and prints the median CPU time and wall time of a round.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

func main() {
	urls := flag.String("urls", "", "file of feed URLs, one per line")
	rounds := flag.Int("rounds", 5, "parse rounds")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the parse rounds to this `file`")
	flag.Parse()
	f, err := os.Open(*urls)
	if err != nil {
		log.Fatal(err)
	}
	var list []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		list = append(list, sc.Text())
	}
	bodies := make([][]byte, len(list))
	total := 0
	for i, u := range list {
		resp, err := http.Get(u)
		if err != nil {
			log.Fatal(err)
		}
		bodies[i], err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		total += len(bodies[i])
	}
	if *profile != "" {
		pf, err := os.Create(*profile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	var cpus, walls []time.Duration
	entries := 0
	for range *rounds {
		c0, w0 := cpu(), time.Now()
		entries = 0
		for i, b := range bodies {
			_, es, err := fetch.ParseFeed(list[i], b)
			if err != nil {
				log.Fatal(err)
			}
			entries += len(es)
		}
		cpus = append(cpus, cpu()-c0)
		walls = append(walls, time.Since(w0))
	}
	fmt.Printf("%d feeds, %.1f MB, %d entries: parse CPU median %v (rounds %v), wall median %v\n",
		len(bodies), float64(total)/1e6, entries, median(cpus), cpus, median(walls))
}

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2].Round(time.Millisecond)
}
