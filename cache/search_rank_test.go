package cache_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// A word in more entries than Search ranks in full: the entry with it in
// its title came into the cache before RankWindow newer ones that have it
// only in their bodies, and still ranks first.
func TestSearchCommonWordPrefersTitleHit(t *testing.T) {
	s, _ := openTemp(t)
	old := entry("1", "Regierung tritt zurück", t0)
	old.Summary = "Kurz gemeldet."
	saveFeed(t, s, heiseFeed, "heise online", t0, old)
	n := cache.RankWindow + 10
	entries := make([]fetch.Entry, n)
	articles := make([]fetch.ArticleResult, n)
	for i := range entries {
		id := strconv.Itoa(1000 + i)
		entries[i] = entry(id, "Meldung "+id, t0.Add(time.Duration(i+1)*time.Minute))
		articles[i] = fetch.ArticleResult{EntryID: id, FetchedAt: t0,
			Article: article(id, "Meldung "+id, "Die Regierung hat entschieden. Mehr dazu später.")}
	}
	saveFeed(t, s, heiseFeed, "heise online", t0.Add(time.Hour), entries...)
	if err := s.SaveArticles(t.Context(), articles); err != nil {
		t.Fatalf("SaveArticles = %v", err)
	}
	hits, err := s.Search(t.Context(), "Regierung", 5)
	if err != nil || len(hits) != 5 {
		t.Fatalf("Search(Regierung) = %d hits, %v; want 5", len(hits), err)
	}
	if hits[0].ID != "1" {
		t.Errorf("Search(Regierung) = %v, want the title hit 1 first", hitIDs(hits))
	}
	for _, h := range hits[1:] {
		if h.ID == "1" || !(hits[0].Rank > h.Rank) {
			t.Errorf("hit %s ranks %v, the title hit %v: want the title hit higher", h.ID, h.Rank, hits[0].Rank)
		}
		if h.Snippet != "Die Regierung hat entschieden. Mehr dazu später." {
			t.Errorf("hit %s snippet = %q, want its body around the match", h.ID, h.Snippet)
		}
	}
}
