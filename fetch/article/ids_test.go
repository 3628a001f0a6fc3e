package article

import (
	"strings"
	"testing"
)

func TestHeiseContentID(t *testing.T) {
	for in, want := range map[string]string{
		"http://heise.de/-9993848":      "9993848",
		"https://www.heise.de/-9675153": "9675153",
		"https://www.heise.de/news/Regisseur-der-Olympischen-Spiele-9993848.html?seite=all": "9993848",
		"https://www.telepolis.de/features/Der-letzte-Versuch-9644037.html?seite=all":       "9644037",
		"https://www.heise.de/tp/features/Alt-3405174.html":                                 "3405174",
		"https://www.heise.de/security/meldung/Foo-4450000.html?wt_mc=rss.ho.beitrag.atom":  "4450000",
		"https://www.heise.de/bestenlisten/testsieger/top-10-tablets":                       "",
		"https://www.techstage.de/news/Foo-9999999.html":                                    "",
		"https://example.com/post-1234567.html":                                             "",
		"not a url":                                                                         "",
		"HTTPS://WWW.HEISE.DE/news/Gross-9993848.html":                                      "9993848",
		"https://TELEPOLIS.De/features/Gemischt-9644037.html":                               "9644037",
		"https://heise.de.example.com/news/Fremd-9993848.html":                              "",
		"https://www.heise.de%2Eexample.com/news/Fremd-9993848.html":                        "",
	} {
		if got := HeiseContentID(in); got != want {
			t.Errorf("HeiseContentID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStableID(t *testing.T) {
	if got := StableID("9675153", "g", "u"); got != "9675153" {
		t.Errorf("StableID with content ID = %q", got)
	}
	a := StableID("", "", "https://example.com/a?utm_source=x&id=1")
	b := StableID("", "", "https://example.com/a?id=1")
	if a != b || len(a) != 13 || a[0] != 'k' {
		t.Errorf("StableID ignores tracking: %q vs %q", a, b)
	}
	if StableID("", "guid-1", "https://example.com/a") == StableID("", "guid-2", "https://example.com/a") {
		t.Errorf("StableID: different GUIDs give one ID")
	}
}

func TestStripTracking(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.heise.de/news/X-1.html?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag": "https://www.heise.de/news/X-1.html",
		"https://example.com/a?utm_source=rss&utm_medium=feed&id=7#top":               "https://example.com/a?id=7",
		"https://www.heise.de/news/X-1.html?seite=all":                                "https://www.heise.de/news/X-1.html?seite=all",
		"https://example.com/plain":                                                   "https://example.com/plain",
		// The rest of a query stays byte for byte, in order.
		"https://example.com/x?cli":                            "https://example.com/x?cli",
		"https://example.com/x?b=2&a=1&utm_source=x&c=%7E+y":   "https://example.com/x?b=2&a=1&c=%7E+y",
		"https://example.com/x?UTM_Campaign=x&q=a%2Fb&fbclid=": "https://example.com/x?q=a%2Fb",
	} {
		if got := StripTracking(in); got != want {
			t.Errorf("StripTracking(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzStripTracking checks StripTracking's shortcut for plain URLs against
// the way through net/url.
func FuzzStripTracking(f *testing.F) {
	for _, s := range []string{"https://www.heise.de/news/X-1.html?wt_mc=rss.red", "https://example.com/a?utm_source=rss&id=7#top",
		"https://www.heise.de/news/X-1.html?seite=all", "https://example.com/x?", "https://example.com/x?a&&b=", "https://example.com/x?utm%5Fa=1",
		"https://example.com/x?Fbclid=1", "http://127.0.0.1:8080/f/a/1.html", " https://example.com/ "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := StripTracking(s), stripTrackingURL(strings.TrimSpace(s)); got != want {
			t.Errorf("StripTracking(%q) = %q, through net/url %q", s, got, want)
		}
	})
}

// TestContainsFold compares containsFold with EqualFold at every place.
func TestContainsFold(t *testing.T) {
	naive := func(s, sub string) bool {
		for i := 0; i+len(sub) <= len(s); i++ {
			if strings.EqualFold(s[i:i+len(sub)], sub) {
				return true
			}
		}
		return false
	}
	for _, s := range []string{"https://www.HEISE.de/x", "heiſe.de", "xheise.dE", "telepolis.de", "TELEPOLIS.DE/", "tele\u212apolis", "heise.d", "", "h"} {
		for _, sub := range []string{"heise.de", "telepolis.de"} {
			if got, want := containsFold(s, sub), naive(s, sub); got != want {
				t.Errorf("containsFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}
