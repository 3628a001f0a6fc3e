// Command feedserver serves generated RSS feeds on loopback for sync
// benchmarks such as scripts/compare-newsboat.sh. Every feed answers
// conditional GETs (ETag and Last-Modified) with 304, as real sites do.
// With -log it appends one line per request, "STATUS PATH USER-AGENT", so
// a script can check that a warm run was answered 304 throughout.
//
// By default every item carries a one-line teaser (about 350 bytes of XML an
// item). With -like FILE the feeds are Atom feeds whose entries are the
// entries of the real Atom feed FILE in turn (its summary, HTML content with
// the lead picture, author), each made unique by its title, ID, link and
// dates: news-sized items (about 1.2 KB of XML each for the heise feed in
// fetch/testdata/feeds).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
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
	like := flag.String("like", "", "model the items on the entries of this real Atom `feed` (default: one-line teasers)")
	flag.Parse()

	gen := genFeed
	if *like != "" {
		model, err := readModel(*like)
		if err != nil {
			log.Fatal(err)
		}
		gen = func(name, base string, n int) []byte { return genAtom(model, name, base, n) }
	}

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
		body := gen(fmt.Sprintf("f%d", f), base, *items)
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
	size := 0
	for _, d := range docs {
		size += len(d.body)
	}
	fmt.Printf("serving %d feeds × %d items on %s (%.1f MB, %d bytes an item)\n", *feeds, *items, base,
		float64(size)/1e6, size/max(1, *feeds**items))
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
		w.Header().Set("Content-Type", contentType(d.body))
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

// contentType is the feed's media type by its root element.
func contentType(body []byte) string {
	if bytes.Contains(body[:min(len(body), 200)], []byte("<feed")) {
		return "application/atom+xml"
	}
	return "application/rss+xml"
}

// modelEntry is what genAtom takes from an entry of the model feed.
type modelEntry struct {
	Title   string `xml:"title"`
	Summary string `xml:"summary"`
	Content string `xml:"content"`
	Author  string `xml:"author>name"`
}

// readModel reads the entries of a real Atom feed.
func readModel(path string) ([]modelEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read model feed: %w", err)
	}
	var f struct {
		Entries []modelEntry `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse model feed %s: %w", path, err)
	}
	if len(f.Entries) == 0 {
		return nil, fmt.Errorf("model feed %s has no entries", path)
	}
	return f.Entries, nil
}

// genAtom is an Atom feed of n entries modelled on the real entries in
// model, in turn, in the markup of the heise feed: title, ID, link, author,
// an HTML summary and HTML content in CDATA sections.
func genAtom(model []modelEntry, name, base string, n int) []byte {
	var b strings.Builder
	start := time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC)
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Feed %s</title>\n<link href=\"%s/%s/\"/>\n<id>%s/%s/</id>\n<updated>%s</updated>\n",
		name, base, name, base, name, start.Format(time.RFC3339))
	for i := range n {
		m := model[(i+len(name))%len(model)]
		t := start.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)
		link := fmt.Sprintf("%s/%s/a/%d.html", base, name, i)
		fmt.Fprintf(&b, `<entry>
        <title type="html"><![CDATA[%s (%s %d)]]></title>
        <id>%s-%d</id>
        <updated>%s</updated>
        <published>%s</published>
        <link href="%s"/>
        <author>
            <name>%s</name>
        </author>
        <summary type="html"><![CDATA[%s]]></summary>
        <content type="html"><![CDATA[%s]]></content>
    </entry>
`, cdata(m.Title), name, i, name, i, t, t, link, html.EscapeString(m.Author), cdata(m.Summary), cdata(m.Content))
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

// cdata makes s safe inside a CDATA section.
func cdata(s string) string { return strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") }
