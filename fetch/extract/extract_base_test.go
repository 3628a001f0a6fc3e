package extract

import (
	"os"
	"strings"
	"testing"
)

// TestExtractLocalCopyResolvesAgainstSite checks that a heise or Telepolis
// page served from somewhere else (a test server, a mirror) lists its
// relative links and images as the site's, as the print view does.
func TestExtractLocalCopyResolvesAgainstSite(t *testing.T) {
	page, err := os.ReadFile(pagesDir + "/constructed-telepolis-9675153-2024.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{
		"http://127.0.0.1:8800/features/Schoigu-Anruf-9675153.html",
		"https://www.telepolis.de/features/Schoigu-Anruf-9675153.html",
		"",
	} {
		a, err := Article(from, page)
		if err != nil {
			t.Fatalf("Article(%q): %v", from, err)
		}
		want := "https://www.telepolis.de/features/Der-letzte-Versuch-der-Europaeer-den-Sieg-fuer-die-Ukraine-zu-erringen-9644037.html?seite=all"
		if len(a.References) < 3 || a.References[2].URL != want {
			t.Errorf("Article(%q): reference 3 = %+v, want %s", from, a.References, want)
		}
		if a.Hero == nil || !strings.HasPrefix(a.Hero.Image, "https://www.telepolis.de/") {
			t.Errorf("Article(%q): hero image %+v, want it on telepolis.de", from, a.Hero)
		}
	}
	// A page without a site rule keeps resolving against where it came from.
	blog, err := os.ReadFile(pagesDir + "/blog-readability.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Article("http://127.0.0.1:9/blog/post.html", blog)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range a.References {
		if strings.Contains(r.URL, "heise.de") || strings.Contains(r.URL, "telepolis.de") {
			t.Errorf("blog reference resolved against a heise host: %s", r.URL)
		}
	}
}
