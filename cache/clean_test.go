package cache

import (
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

var cleanSeeds = []string{
	"", "Grüße aus Köln", "Straße\tund\nWeg", "„Zitat“ – Gedankenstrich … ©", "a\rb", "\x1b[31mrot\x1b[0m",
	"\u00a0nbsp", "soft\u00adhyphen", "zero\u200bwidth", "bidi\u202eevil", "\u2028line", "\u3000ideo",
	"\xff\xfe invalid", "c1\u009bcsi", "bom\ufeff", "arabic\u061cmark", "thin\u202fspace", "\u2066iso\u2069",
	"emoji 🙂 and 中文", "\x7f del", "\u0085 nel",
}

// FuzzNeedsClean checks that text needsClean lets through is text that
// fetch.CleanText would not change.
func FuzzNeedsClean(f *testing.F) {
	for _, s := range cleanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := cleanText(s); got != fetch.CleanText(s) {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, fetch.CleanText(s))
		}
	})
}

func TestNeedsClean(t *testing.T) {
	for _, s := range []string{"Grüße aus Köln", "„Zitat“ – … ©", "emoji 🙂 and 中文", "Straße\tund\nWeg"} {
		if needsClean(s) {
			t.Errorf("needsClean(%q) = true, want false (nothing to clean)", s)
		}
	}
	for _, s := range cleanSeeds[4:] {
		if s != "emoji 🙂 and 中文" && !needsClean(s) {
			t.Errorf("needsClean(%q) = false, want true", s)
		}
	}
}

func TestFoldGerman(t *testing.T) {
	tests := map[string]string{
		"":                           "",
		"ohne":                       "ohne",
		"Grüße aus Köln":             "Gruesse aus Koeln",
		"ÄÖÜäöüß ẞ":                  "AeOeUeaeoeuess SS",
		"é è ñ „“ – 中文 🙂":            "é è ñ „“ – 中文 🙂",
		"Ende mit ü":                 "Ende mit ue",
		"\xc3":                       "\xc3",
		"Fernsehübertragung\xe1\xba": "Fernsehuebertragung\xe1\xba",
	}
	for in, want := range tests {
		if got := foldGerman(in); got != want {
			t.Errorf("foldGerman(%q) = %q, want %q", in, got, want)
		}
	}
}
