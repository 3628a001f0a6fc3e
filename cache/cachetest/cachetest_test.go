package cachetest_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

func TestEntryIsDeterministicGerman(t *testing.T) {
	e1, a1 := cachetest.Entry(7)
	e2, a2 := cachetest.Entry(7)
	if e1 != e2 || a1.Body != a2.Body {
		t.Errorf("Entry(7) differs between calls")
	}
	if n := len(a1.Body); n < 5000 || n > 5600 {
		t.Errorf("body is %d bytes, want about 5 KB", n)
	}
	if !strings.ContainsAny(a1.Body, "äöüß") || !strings.Contains(a1.Body, cachetest.BodyWord) {
		t.Errorf("body of 7 lacks umlauts or the body word: %.200q", a1.Body)
	}
	if _, a := cachetest.Entry(100); !strings.Contains(a.Body, cachetest.RareWord) || strings.Contains(a.Body, cachetest.CommonWord) {
		t.Errorf("article 100: rare word missing or common word present")
	}
}

func TestNewFillsSearchableCache(t *testing.T) {
	s, _ := cachetest.New(t, 1200)
	ctx := t.Context()
	if n, err := s.Count(ctx, cache.Query{}); err != nil || n != 1200 {
		t.Fatalf("Count = %d, %v; want 1200", n, err)
	}
	for word, want := range map[string]int{cachetest.RareWord: 12, cachetest.BodyWord: 172} {
		hits, err := s.Search(ctx, word, 1000)
		if err != nil || len(hits) != want {
			t.Errorf("Search(%s) = %d hits, %v; want %d", word, len(hits), err, want)
		}
	}
	if n, err := s.Count(ctx, cache.Query{Feed: cachetest.TelepolisFeed}); err != nil || n < 360 {
		t.Errorf("Count(telepolis) = %d, %v", n, err)
	}
}

func TestEntryTextIsValidUTF8(t *testing.T) {
	for i := range 300 {
		e, a := cachetest.Entry(i)
		for _, s := range []string{e.Title, e.Summary, a.Lead, a.Body, a.Kicker} {
			if !utf8.ValidString(s) {
				t.Fatalf("Entry(%d): invalid UTF-8 in %.80q", i, s)
			}
		}
	}
}
