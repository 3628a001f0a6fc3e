// Command feedserver serves generated RSS feeds on loopback for sync
// benchmarks such as scripts/compare-newsboat.sh. Every feed answers
// conditional GETs (ETag and Last-Modified) with 304, as real sites do.
// With -log it appends one line per request, "STATUS PATH USER-AGENT", so
// a script can check that a warm run was answered 304 throughout.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	feeds := flag.Int("feeds", 100, "number of feeds")
	items := flag.Int("items", 500, "items per feed")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	urls := flag.String("urls", "", "write the feed URLs to this `file`, one per line")
	logPath := flag.String("log", "", "append one line per request to this `file`: status, path, User-Agent")
	flag.Parse()

	var logMu sync.Mutex
	logRequest := func(status int, r *http.Request) {}
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		logRequest = func(status int, r *http.Request) {
			logMu.Lock()
			defer logMu.Unlock()
			if _, err := fmt.Fprintf(f, "%d %s %s\n", status, r.URL.Path, r.UserAgent()); err != nil {
				log.Fatalf("request log: %v", err)
			}
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	type doc struct {
		body []byte
		etag string
	}
	docs := make(map[string]doc, *feeds)
	var list strings.Builder
	for f := range *feeds {
		path := fmt.Sprintf("/feed%d.xml", f)
		body := genFeed(fmt.Sprintf("f%d", f), base, *items)
		sum := sha256.Sum256(body)
		docs[path] = doc{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		list.WriteString(base + path + "\n")
	}
	if *urls != "" {
		if err := os.WriteFile(*urls, []byte(list.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	lastMod := time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	fmt.Printf("serving %d feeds × %d items on %s\n", *feeds, *items, base)
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := docs[r.URL.Path]
		if !ok {
			logRequest(http.StatusNotFound, r)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", d.etag)
		w.Header().Set("Last-Modified", lastMod)
		if r.Header.Get("If-None-Match") == d.etag || (r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == lastMod) {
			logRequest(http.StatusNotModified, r)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		logRequest(http.StatusOK, r)
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write(d.body); err != nil {
			return
		}
	})))
}

// genFeed is an RSS 2.0 feed of n items with teasers, like a news site's.
func genFeed(name, base string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Feed %s</title><link>%s/%s/</link><description>generated</description>\n", name, base, name)
	start := time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>%s item %d</title><link>%s/%s/a/%d.html</link><guid>%s-%d</guid><pubDate>%s</pubDate><description>&lt;p&gt;Teaser of item %d with some words so it looks like a real summary of an article.&lt;/p&gt;</description></item>\n",
			name, i, base, name, i, name, i, start.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}
