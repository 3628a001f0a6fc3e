package plainurl

import (
	"net/url"
	"testing"
)

// roundTrips reports whether net/url gives s back unchanged, parsed alone
// and resolved against a base.
func roundTrips(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.String() != s {
		return false
	}
	base, _ := url.Parse("https://base.example/dir/page?q=1")
	return base.ResolveReference(u).String() == s
}

var seeds = []string{
	"https://www.heise.de/news/Regisseur-der-Olympischen-Spiele-9993848.html?seite=all",
	"https://www.heise.de/scale/geometry/450/q80//imgs/18/4/6/Hass-e40cbd2669b52eff.jpeg",
	"http://heise.de/-9993848", "http://127.0.0.1:8080/f1/a/1.html", "https://x.example",
	"https://x.example/a/./b", "https://x.example/a/../b", "https://x.example/.", "https://x.example/a/..",
	"https://x.example/a b", "https://x.example/a%20b", "https://x.example/a#f", "https://u@x.example/",
	"HTTPS://x.example/", "https://x.example:/", "https://x.example:99999999/", "https://[::1]/",
	"https://x.example/?a=1&b=%zz", "https://x.example/a!b", "https://x.example/a*b", "https://x.example/?",
	"https://x.example/a?b#c", "https://ex%41mple.com/", "https://x.example/ä", "https://x.example/a\\b",
	"https://x.example//", "https://x.example/a/.b", "https://x.example/.well-known/x", "ftp://x.example/",
	"https://x.example/a;b=c,d$e&f+g:h@i~j", "https://x.example/?a=b:c/d?e!f'g(h)i*j",
}

func TestIs(t *testing.T) {
	n := 0
	for _, s := range seeds {
		if Is(s) {
			n++
			if !roundTrips(s) {
				t.Errorf("Is(%q) but net/url changes it", s)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d plain URLs among the seeds", n)
	}
	for _, s := range []string{"https://x.example/a/./b", "https://x.example/a b", "https://x.example/a#f", "HTTPS://x.example/", "ftp://x.example/"} {
		if Is(s) {
			t.Errorf("Is(%q)", s)
		}
	}
}

func FuzzIs(f *testing.F) {
	for _, s := range append(seeds, tokens...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Is(s) && !roundTrips(s) {
			t.Errorf("Is(%q) but net/url changes it", s)
		}
		if IsToken(s) && !tokenRoundTrips(s) {
			t.Errorf("IsToken(%q) but net/url changes it", s)
		}
	})
}

var tokens = []string{"f0-1", "9993848", ".", "..", "a.b~c_d", "a:b", "a b", "%41", "", "-", "~x"}

// tokenRoundTrips reports whether url.Parse and String give s back.
func tokenRoundTrips(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.String() == s
}

func TestIsToken(t *testing.T) {
	n := 0
	for _, s := range tokens {
		if IsToken(s) {
			n++
			if !tokenRoundTrips(s) {
				t.Errorf("IsToken(%q) but net/url changes it", s)
			}
		}
	}
	if n < 5 || IsToken("a:b") || IsToken("a b") || IsToken("") {
		t.Errorf("IsToken accepts %d of %q", n, tokens)
	}
}
