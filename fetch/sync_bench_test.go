package fetch

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchSite serves feeds×items generated RSS feeds from loopback.
func benchSite(b *testing.B, feeds, items int) (*httptest.Server, []string) {
	b.Helper()
	site := newTestSite()
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	urls := make([]string, feeds)
	for f := range feeds {
		p := fmt.Sprintf("/feed%d.xml", f)
		site.set(p, "application/rss+xml", genRSS(fmt.Sprintf("f%d", f), items, 0))
		urls[f] = srv.URL + p
	}
	return srv, urls
}

func benchSyncFeeds(b *testing.B, feeds, items int, warm bool) {
	srv, urls := benchSite(b, feeds, items)
	c := testClient(srv)
	store := newMemStore()
	s := &Syncer{Client: c, Store: store}
	if warm {
		if _, err := s.Run(b.Context(), urls, nil); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if !warm {
			s.Store = newMemStore()
		}
		sum, err := s.Run(b.Context(), urls, nil)
		if err != nil || sum.FeedsOK != feeds {
			b.Fatalf("Run = %+v, %v", sum, err)
		}
		if warm && sum.FeedsNotModified != feeds || !warm && sum.NewEntries != feeds*items {
			b.Fatalf("Run = %+v", sum)
		}
	}
	b.ReportMetric(float64(feeds*items)/b.Elapsed().Seconds()*float64(b.N), "entries/s")
}

// The targets: 20×100 cold ≤ 0.2 s, all 304 ≤ 0.05 s; 100×500 cold ≤ 2 s, all 304 ≤ 0.3 s.
func BenchmarkSyncFeeds20x100Cold(b *testing.B)  { benchSyncFeeds(b, 20, 100, false) }
func BenchmarkSyncFeeds20x100304(b *testing.B)   { benchSyncFeeds(b, 20, 100, true) }
func BenchmarkSyncFeeds100x500Cold(b *testing.B) { benchSyncFeeds(b, 100, 500, false) }
func BenchmarkSyncFeeds100x500304(b *testing.B)  { benchSyncFeeds(b, 100, 500, true) }

// benchArticlePage is an article page of about 20 KB, with a title, a lead,
// paragraphs, links and a figure, for the generic (readability) extractor.
func benchArticlePage(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Artikel %d – Beispiel</title>
<meta property="og:title" content="Artikel %d"><meta property="og:site_name" content="Beispiel News">
<meta name="author" content="Erika Mustermann"><meta property="article:published_time" content="2024-10-24T10:00:00+02:00">
</head><body><header><nav><a href="/">Start</a> <a href="/news">News</a></nav></header><main><article>
<h1>Artikel %d: Ein Thema mit Gewicht</h1><p class="lead">Ein Vorspann, der das Thema kurz zusammenfasst.</p>
<figure><img src="/img/%d.jpg" alt="Bild"><figcaption>Eine Bildunterschrift (Bild: Fotograf)</figcaption></figure>`, n, n, n, n)
	for i := 0; b.Len() < 19000; i++ {
		if i%5 == 4 {
			fmt.Fprintf(&b, "<h2>Abschnitt %d</h2>\n", i/5+1)
		}
		fmt.Fprintf(&b, `<p>Absatz %d des Artikels mit genug Text, damit er wie eine echte Meldung aussieht: Die Behörde teilte mit, dass die Maßnahmen <a href="https://example.org/quelle/%d">laut einer Quelle</a> wirken, während Kritiker vor Folgen warnen und weitere Prüfungen fordern, bevor Entscheidungen fallen.</p>`+"\n", i, i)
	}
	b.WriteString(`</article></main><footer><p>Impressum</p></footer></body></html>`)
	return []byte(b.String())
}

// BenchmarkSyncArticles is the full-article pass over 200 pending entries:
// GET from loopback, extraction with Extract, batched stores. Target ≥ 100
// articles/s.
func BenchmarkSyncArticles(b *testing.B) {
	const n = 200
	site := newTestSite()
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	links := make([]string, n)
	var bytes int
	for i := range n {
		p := fmt.Sprintf("/news/a%d.html", i)
		page := benchArticlePage(i)
		bytes += len(page)
		site.set(p, "text/html; charset=utf-8", page)
		links[i] = srv.URL + p
	}
	site.set("/feed.xml", "application/rss+xml", rssWithLinks("Articles", links...))
	feeds := []string{srv.URL + "/feed.xml"}
	c := testClient(srv)
	if a, err := Extract(links[0], benchArticlePage(0)); err != nil || len(a.Body) < 10000 {
		b.Fatalf("Extract of the bench page = %d bytes of body, %v", len(a.Body), err)
	}
	b.SetBytes(int64(bytes))
	for b.Loop() {
		s := &Syncer{Client: c, Store: newMemStore(), Articles: true}
		sum, err := s.Run(b.Context(), feeds, nil)
		if err != nil || sum.ArticlesFetched != n {
			b.Fatalf("Run = %+v, %v", sum, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
}
