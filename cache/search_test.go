package cache_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
)

func searchStore(t *testing.T) *cache.Store {
	t.Helper()
	s, _ := openTemp(t)
	saveFeed(t, s, heiseFeed, "heise online", t0,
		entry("100", "Neue Grafikkarten im Test", t0),
		entry("101", "Quantencomputer rechnet schneller", t0.Add(time.Minute)),
		entry("102", "Ein Artikel ohne Volltext", t0.Add(2*time.Minute)),
		entry("103", "Straßenbahn fährt autonom", t0.Add(3*time.Minute)),
	)
	saveArticle(t, s, article("100", "Neue Grafikkarten im Test",
		"Die Karten sind schnell.\n\nIm Labor zeigte sich, dass die **Wärmeleitpaste** [1] früh austrocknet. "+
			"Die Fernsehübertragung des Spiels ruckelte nicht.\n\nMehr dazu später."))
	saveArticle(t, s, article("101", "Quantencomputer rechnet schneller",
		"Forscher melden einen Durchbruch. Auch die Grafikkarten der Zukunft könnten profitieren. Die Maße stimmen."))
	saveArticle(t, s, article("103", "Straßenbahn fährt autonom", "In Köln fährt eine Bahn ohne Fahrer über die Gleise."))
	return s
}

func hitIDs(hits []cache.Hit) []string {
	ids := []string{}
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSearch(t *testing.T) {
	s := searchStore(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"Wärmeleitpaste", []string{"100"}},      // only in a body
		{"waermeleitpaste", []string{"100"}},     // spelled out
		{"WÄRMELEITPASTE", []string{"100"}},      // capitals
		{"Grafikkarten", []string{"100", "101"}}, // the title match ranks first
		{"Straßenbahn", []string{"103"}},         // ß
		{"strassenbahn", []string{"103"}},        // ss finds ß
		{"Köln", []string{"103"}},                // umlaut in body
		{"koeln", []string{"103"}},               //
		{"Masse", []string{"101"}},               // "Maße"
		{"übertragung", []string{}},              // no match inside a compound
		{"fernseh*", []string{"100"}},            // but a prefix finds it
		{"Anreißer", []string{"102"}},            // the feed summary, for entries without article
		{"Volltext", []string{"102"}},            // an entry without article, by title
		{"Karten Labor", []string{"100"}},        // all words required
		{"Karten Köln", []string{}},              //
	}
	for _, tt := range tests {
		hits, err := s.Search(t.Context(), tt.query, 10)
		if err != nil {
			t.Errorf("Search(%q) = %v", tt.query, err)
			continue
		}
		got := hitIDs(hits)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestSearchSnippetAndRank(t *testing.T) {
	s := searchStore(t)
	hits, err := s.Search(t.Context(), "Wärmeleitpaste", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	h := hits[0]
	if !strings.Contains(h.Snippet, "Wärmeleitpaste früh austrocknet") || strings.Contains(h.Snippet, "[1]") || strings.Contains(h.Snippet, "**") {
		t.Errorf("Snippet = %q, want the plain text around the hit", h.Snippet)
	}
	if h.Title != "Neue Grafikkarten im Test" || !h.Offline || h.FeedTitles[0] != "heise online" {
		t.Errorf("Hit item = %+v", h.Item)
	}
	hits, err = s.Search(t.Context(), "Grafikkarten", 5)
	if err != nil || len(hits) != 2 {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	if !(hits[0].Rank > hits[1].Rank) {
		t.Errorf("ranks %v, %v: want the first higher", hits[0].Rank, hits[1].Rank)
	}
	if !strings.Contains(hits[1].Snippet, "Grafikkarten der Zukunft") {
		t.Errorf("Snippet = %q", hits[1].Snippet)
	}
	// A long body: the snippet is cut around the hit.
	saveFeed(t, s, tpFeed, "Telepolis", t0, entry("200", "Lang", t0))
	body := strings.Repeat("Füllwort ", 300) + "Zielbegriff steht hier. " + strings.Repeat("Nachwort ", 300)
	saveArticle(t, s, article("200", "Lang", body))
	hits, err = s.Search(t.Context(), "zielbegriff", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	if sn := hits[0].Snippet; !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") || !strings.Contains(sn, "Zielbegriff steht hier.") || len(sn) > 260 {
		t.Errorf("Snippet = %q (%d bytes), want about 200 bytes around the hit", sn, len(sn))
	}
}

func TestSearchHostileQueries(t *testing.T) {
	s := searchStore(t)
	for _, q := range []string{
		`"`, `"Grafikkarten`, `*`, `Grafik*karten`, `AND`, `Grafikkarten AND`, `OR Test`, `NOT`,
		`NEAR(`, `NEAR(Grafikkarten Test`, `(Grafikkarten`, `Grafikkarten)`, `))((`, `title:Grafikkarten`,
		`{title lead}: x`, `^Grafikkarten`, `-Grafikkarten`, `+`, "\x00\x1b[31m", `''`, `\`, `Grafik"karten`,
		strings.Repeat("wort ", 500), "",
	} {
		hits, err := s.Search(t.Context(), q, 5)
		if err != nil {
			t.Errorf("Search(%q) = %v", q, err)
		}
		if hits == nil {
			t.Errorf("Search(%q) = nil slice, want empty", q)
		}
	}
	// Operators are words, punctuation separates words.
	hits, err := s.Search(t.Context(), `(Grafikkarten) "Test`, 5)
	if err != nil || strings.Join(hitIDs(hits), ",") != "100" {
		t.Errorf("Search with punctuation = %v, %v; want [100]", hitIDs(hits), err)
	}
	hits, err = s.Search(t.Context(), `title:Grafikkarten`, 5)
	if err != nil || len(hits) != 0 {
		t.Errorf("Search(title:…) = %v, %v; want no column filter (no word \"title\")", hitIDs(hits), err)
	}
}

func TestSearchUnicodeEntry(t *testing.T) {
	s, _ := openTemp(t)
	e := entry("300", "Café-Kultur in Paris", t0)
	e.Summary = "Élan und Ärger"
	saveFeed(t, s, heiseFeed, "heise online", t0, e)
	for _, q := range []string{"cafe", "CAFÉ", "elan", "aerger", "Ärger", "ärg*"} {
		hits, err := s.Search(t.Context(), q, 5)
		if err != nil || len(hits) != 1 {
			t.Errorf("Search(%q) = %v, %v; want one hit", q, hitIDs(hits), err)
		}
	}
}
