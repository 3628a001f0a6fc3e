package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
)

func TestLoadCachedArticle(t *testing.T) {
	dir := fillDataDir(t)
	e := &env{getenv: func(string) string { return "" }}
	e.g.dataDir = dir
	ctx := t.Context()

	a, err := loadCachedArticle(ctx, e, "1001")
	if err != nil || a.Body != "Die **Wärmeleitpaste** [1] trocknet aus.\n" || a.Lead != "Vorspann." || a.Notice != "" {
		t.Errorf("loadCachedArticle(1001) = %+v, %v; want the full article", a, err)
	}

	a, err = loadCachedArticle(ctx, e, "1003")
	if err != nil {
		t.Fatalf("loadCachedArticle(1003) = %v", err)
	}
	if a.ID != "1003" || a.Title != "Ausfall beim Abruf" || a.Lead != "Nur der Anreißer über Straßenbahnen" || a.Body != "" ||
		a.URL != "https://www.heise.de/news/x-1003.html" || a.Site != "heise online" || len(a.Authors) != 1 ||
		!strings.Contains(a.Notice, "nicht im Cache") || !strings.Contains(a.Notice, "503 Service Unavailable") {
		t.Errorf("loadCachedArticle(1003) = %+v; want the teaser with a notice and the error", a)
	}

	if _, err := loadCachedArticle(ctx, e, "404"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("loadCachedArticle(unknown) = %v, want ErrNotFound", err)
	}
	e.g.dataDir = t.TempDir()
	if _, err := loadCachedArticle(ctx, e, "1001"); !errors.Is(err, cache.ErrNotFound) || !strings.Contains(err.Error(), "run kiosk sync") {
		t.Errorf("loadCachedArticle(no cache) = %v", err)
	}
}
