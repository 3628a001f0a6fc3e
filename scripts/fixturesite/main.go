// Command fixturesite serves a local copy of heise online and Telepolis for
// trying kiosk by hand: the real heise Atom feed of 2024-10-24 with its links
// pointing here, an article page for every entry (built from the real 2024
// page), the seed Telepolis article, and a broken feed. It reads its pages
// from fetch/testdata, so run it from the repository root:
//
//	go run ./scripts/fixturesite -addr 127.0.0.1:8800
//
// then subscribe kiosk to http://127.0.0.1:8800/rss/heise-atom.xml,
// http://127.0.0.1:8800/news-atom.xml and http://127.0.0.1:8800/broken.xml.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8800", "listen `address`")
	dir := flag.String("testdata", "fetch/testdata", "fixture `dir`")
	delay := flag.Duration("delay", 0, "delay every answer by `d` (to watch a slow sync)")
	flag.Parse()
	if err := serve(*addr, *dir, *delay); err != nil {
		log.Fatal(err)
	}
}

var idInPath = regexp.MustCompile(`-(\d+)\.html$`)

func serve(addr, dir string, delay time.Duration) error {
	base := "http://" + addr
	feed, err := os.ReadFile(filepath.Join(dir, "feeds", "heise-atom-2024-10-24.xml"))
	if err != nil {
		return fmt.Errorf("read feed: %w", err)
	}
	feed = bytes.ReplaceAll(feed, []byte("https://www.heise.de/news/"), []byte(base+"/news/"))
	feed = bytes.ReplaceAll(feed, []byte("https://www.heise.de/hintergrund/"), []byte(base+"/news/"))
	feed = bytes.ReplaceAll(feed, []byte("https://www.heise.de/tests/"), []byte(base+"/news/"))
	feed = bytes.ReplaceAll(feed, []byte("https://www.heise.de/ratgeber/"), []byte(base+"/news/"))
	feed = bytes.ReplaceAll(feed, []byte("https://www.heise.de/meinung/"), []byte(base+"/news/"))
	_, entries, err := fetch.ParseFeed(base+"/rss/heise-atom.xml", feed)
	if err != nil {
		return fmt.Errorf("parse feed: %w", err)
	}
	byID := map[string]fetch.Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	real2024, err := os.ReadFile(filepath.Join(dir, "pages", "heise-news-9691259-2024.html"))
	if err != nil {
		return fmt.Errorf("read page: %w", err)
	}
	seed, err := os.ReadFile(filepath.Join(dir, "pages", "constructed-telepolis-9675153-2024.html"))
	if err != nil {
		return fmt.Errorf("read seed: %w", err)
	}
	// Pictures come from here too, so that a sync stores them and the
	// reader shows them offline: the pages' image URLs (heise's CDN and
	// site-relative /imgs/) point to this site's /imgs/.
	localImages := func(page []byte) []byte {
		page = bytes.ReplaceAll(page, []byte("https://heise.cloudimg.io/width/610/q85.png-lossy-85.webp-lossy-85.foil1/_www-heise-de_/imgs/"), []byte(base+"/imgs/"))
		return bytes.ReplaceAll(page, []byte(`src="/imgs/`), []byte(`src="`+base+`/imgs/`))
	}
	real2024, seed = localImages(real2024), localImages(seed)
	photo, err := fixturePhoto()
	if err != nil {
		return err
	}
	tpFeed := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Telepolis</title>
  <id>https://www.telepolis.de/news-atom.xml</id>
  <updated>2024-04-04T10:00:00+02:00</updated>
  <entry>
    <title type="html"><![CDATA[Schoigu-Anruf: Russland warnt Frankreich, Truppen in Ukraine zu schicken]]></title>
    <id>http://heise.de/-9675153</id>
    <updated>2024-04-04T10:00:00+02:00</updated>
    <published>2024-04-04T10:00:00+02:00</published>
    <link href="%s/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html?wt_mc=rss.red.tp.tp.atom.beitrag.beitrag"/>
    <author><name>Bernd Müller</name></author>
    <summary type="html"><![CDATA[Russischer Verteidigungsminister droht Paris mit Reaktion. Aber signalisiert auch Verhandlungsbereitschaft.]]></summary>
  </entry>
  <entry>
    <title type="html"><![CDATA[Ein Artikel, dessen Seite fehlt]]></title>
    <id>http://heise.de/-9000001</id>
    <published>2024-04-03T09:00:00+02:00</published>
    <link href="%s/features/Fehlt-9000001.html"/>
    <summary type="html"><![CDATA[Nur dieser Anreißer ist zu haben: die Seite antwortet mit 404.]]></summary>
  </entry>
</feed>`, base, base)

	mux := http.NewServeMux()
	mux.HandleFunc("/rss/heise-atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		http.ServeContent(w, r, "heise-atom.xml", time.Date(2024, 10, 24, 20, 54, 0, 0, time.UTC), bytes.NewReader(feed))
	})
	mux.HandleFunc("/news-atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		http.ServeContent(w, r, "news-atom.xml", time.Date(2024, 4, 4, 8, 0, 0, 0, time.UTC), strings.NewReader(tpFeed))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>kaputt<entry>`)
	})
	mux.HandleFunc("/imgs/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(photo)
	})
	mux.HandleFunc("/features/", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "-9675153.html") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(seed)
	})
	mux.HandleFunc("/news/", func(w http.ResponseWriter, r *http.Request) {
		m := idInPath.FindStringSubmatch(r.URL.Path)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		e, ok := byID[m[1]]
		if !ok && m[1] != "9691259" {
			http.NotFound(w, r)
			return
		}
		page := real2024
		if m[1] != "9691259" {
			page = articleFor(real2024, e)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	h := http.Handler(mux)
	if delay > 0 {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			mux.ServeHTTP(w, r)
		})
	}
	log.Printf("fixture site on %s", base)
	return http.ListenAndServe(addr, logRequests(h))
}

// articleFor turns the real 2024 page into the page of another entry: its
// ID, title and lead replace the original's; the body stays.
func articleFor(page []byte, e fetch.Entry) []byte {
	s := string(page)
	s = strings.ReplaceAll(s, "9691259", e.ID)
	s = strings.ReplaceAll(s, "Ionos-Phishing: Masche mit neuen EU-Richtlinien soll Opfer überzeugen", html.EscapeString(e.Title))
	s = strings.ReplaceAll(s, "Das Phishingradar warnt vor einer Phishing-Masche, bei der Ionos-Kunden angeblich zu neuen EU-Richtlinien zustimmen müssen.", html.EscapeString(e.Summary))
	return []byte(s)
}

// fixturePhoto is a 1600 × 900 JPEG: a sky, a sun and a green hill, so that
// a picture in the terminal is recognisably one.
func fixturePhoto() ([]byte, error) {
	const w, h = 1600, 900
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(60 + y*100/h), uint8(120 + y*80/h), 230, 255} // sky
			if dx, dy := x-1200, y-250; dx*dx+dy*dy < 120*120 {
				c = color.RGBA{255, 210, 60, 255} // sun
			}
			if hill := 600 + (x-800)*(x-800)/4000; y > hill {
				c = color.RGBA{40, uint8(140 - (y-hill)*60/h), 50, 255} // hill
			}
			m.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	return b.Bytes(), nil
}

func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL)
		h.ServeHTTP(w, r)
	})
}
