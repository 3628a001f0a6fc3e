// Command hostilesite serves the hostile feeds and pages of issue 8, made
// on the fly, for measuring kiosk against them by hand or with
// scripts/hostile.sh:
//
//	go run ./scripts/hostilesite -addr 127.0.0.1:8801 -write DIR
//
// -write also saves the pages to DIR (for kiosk read FILE) and a kiosk
// config subscribing to every feed (DIR/config.toml). Every path:
//
//	/good.xml          a good feed, its article pages served here
//	/deep-item.xml     an item extension of 2.1 M nested <b>, never closed (6.3 MB)
//	/deep-channel.xml  the same at channel level
//	/deep-atom.xml     the same at Atom feed level
//	/quotes.xml        a feed whose article is /quotes.html
//	/quotes.html       150 nested <blockquote> around 11,000 <p>x y</p> (116 KB)
//	/deephtml.html     2 M nested <div> (a page)
//	/huge.xml          150,000 items (8 MB) linking here
//	/refs.xml          forbidden character references (&#x8; &#27;)
//	/utf16.xml         a UTF-16 feed with a BOM
//	/utf32.xml         a UTF-32 feed with a BOM
//	/cut.xml           a feed cut off mid-item
//	/busy/N.xml        503 with Retry-After: 30 (on -busy-addr, a host of its own,
//	                   as kiosk holds back a host that asked to wait)
//	/lan.xml           a feed on this address linking to 10.0.0.1 and 127.0.0.1 (allowed: the feed is local)
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8801", "listen `address`")
	busyAddr := flag.String("busy-addr", "127.0.0.1:8802", "listen `address` of the busy host")
	write := flag.String("write", "", "also write the pages and a config.toml to `dir`")
	flag.Parse()
	base := "http://" + *addr
	docs := build(base)
	if *write != "" {
		if err := writeDir(*write, base, "http://"+*busyAddr, docs); err != nil {
			log.Fatal(err)
		}
	}
	go func() { log.Fatal(http.ListenAndServe(*busyAddr, handler(nil))) }()
	log.Printf("serving %d hostile documents on %s", len(docs), base)
	log.Fatal(http.ListenAndServe(*addr, handler(docs)))
}

type doc struct {
	ctype string
	body  []byte
}

func item(base string, n int) string {
	return fmt.Sprintf(`<item><title>Item %d</title><link>%s/page/%d.html</link><description>Teaser %d</description></item>`, n, base, n, n)
}

func build(base string) map[string]doc {
	rss := "application/rss+xml"
	deep := strings.Repeat("<b>", 2_100_000)
	d := map[string]doc{}
	d["/good.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>Good</title>` + item(base, 1) + item(base, 2) + `</channel></rss>`)}
	d["/deep-item.xml"] = doc{rss, []byte(`<rss version="2.0" xmlns:x="urn:x"><channel><title>Deep item</title>` + item(base, 3) +
		`<item><link>` + base + `/page/4.html</link><x:a>` + deep)}
	d["/deep-channel.xml"] = doc{rss, []byte(`<rss version="2.0" xmlns:x="urn:x"><channel><title>Deep channel</title><x:a>` + deep)}
	d["/deep-atom.xml"] = doc{"application/atom+xml", []byte(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><title>Deep atom</title><x:a>` + deep)}
	var q strings.Builder
	q.WriteString("<!DOCTYPE html><html><head><title>Quotes</title></head><body><article><h1>Quotes</h1>")
	q.WriteString(strings.Repeat("<blockquote>", 150))
	q.WriteString(strings.Repeat("<p>x y</p>", 11_000))
	q.WriteString(strings.Repeat("</blockquote>", 150))
	q.WriteString("</article></body></html>")
	d["/quotes.html"] = doc{"text/html", []byte(q.String())}
	d["/quotes.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>Quotes</title><item><title>Quotes</title><link>` + base + `/quotes.html</link></item></channel></rss>`)}
	d["/deephtml.html"] = doc{"text/html", []byte("<!DOCTYPE html><html><body><article><h1>Deep</h1>" + strings.Repeat("<div>", 2_000_000) + "text")}
	d["/deephtml.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>Deep HTML</title><item><title>Deep</title><link>` + base + `/deephtml.html</link></item></channel></rss>`)}
	var h bytes.Buffer
	h.WriteString(`<rss version="2.0"><channel><title>Huge</title>`)
	for i := range 150_000 {
		fmt.Fprintf(&h, "<item><link>%s/h/%d</link></item>", base, i)
	}
	h.WriteString(`</channel></rss>`)
	d["/huge.xml"] = doc{rss, h.Bytes()}
	d["/refs.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>Refs&#x8;</title>` + item(base, 5) + `<item><title>Bad &#27;[31m ref</title><link>` + base + `/page/6.html</link></item></channel></rss>`)}
	src := `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>Grüße</title>` + item(base, 7) + `</channel></rss>`
	u16 := binary.LittleEndian.AppendUint16(nil, 0xFEFF)
	for _, u := range utf16.Encode([]rune(fmt.Sprintf(src, "UTF-16"))) {
		u16 = binary.LittleEndian.AppendUint16(u16, u)
	}
	d["/utf16.xml"] = doc{rss, u16}
	u32 := binary.BigEndian.AppendUint32(nil, 0xFEFF)
	for _, r := range fmt.Sprintf(src, "UTF-32") {
		u32 = binary.BigEndian.AppendUint32(u32, uint32(r))
	}
	d["/utf32.xml"] = doc{rss, u32}
	d["/cut.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>Cut</title>` + item(base, 8) + item(base, 9) + `<item><title>Item 10</title><link>` + base + `/pa`)}
	d["/lan.xml"] = doc{rss, []byte(`<rss version="2.0"><channel><title>LAN</title><item><title>LAN</title><link>http://10.0.0.1/admin</link></item>` + item(base, 11) + `</channel></rss>`)}
	return d
}

func handler(docs map[string]doc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/busy/") {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if strings.HasPrefix(p, "/page/") || strings.HasPrefix(p, "/h/") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>Page %s</title></head><body><article><h1>Page %s</h1><p>%s</p></article></body></html>",
				p, p, strings.Repeat("Some words of an ordinary article. ", 40))
			return
		}
		d, ok := docs[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", d.ctype)
		if _, err := w.Write(d.body); err != nil {
			return
		}
	})
}

func writeDir(dir, base, busy string, docs map[string]doc) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	for _, name := range []string{"/quotes.html", "/deephtml.html"} {
		if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(name, "/")), docs[name].body, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	var cfg strings.Builder
	for _, p := range []string{"/good.xml", "/deep-item.xml", "/deep-channel.xml", "/deep-atom.xml", "/quotes.xml", "/deephtml.xml",
		"/huge.xml", "/refs.xml", "/utf16.xml", "/utf32.xml", "/cut.xml", "/lan.xml"} {
		fmt.Fprintf(&cfg, "[[feed]]\nname = %q\nurl = %q\n\n", strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".xml"), base+p)
	}
	for i := range 8 {
		fmt.Fprintf(&cfg, "[[feed]]\nname = \"busy %d\"\nurl = \"%s/busy/%d.xml\"\n\n", i, busy, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg.String()), 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}
