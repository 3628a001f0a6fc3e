package extract

import (
	"slices"
	"strings"
	"testing"
)

// TestGenericAuthors checks the cleaning of bylines from the sources a
// page without a site rule offers, in the order they are tried.
func TestGenericAuthors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		head, body string
		want       []string
	}{
		{"Von: prefix", ``, `<p class="byline">Von: Simone Jung</p>`, []string{"Simone Jung"}},
		{"By, date and time", `<meta name="author" content="By Nathan Willis March 25, 2015">`, ``, []string{"Nathan Willis"}},
		{"short codes and several names", `<meta name="author" content="Elena Oberholzer (obe), Oliver Maksan (oma)">`, ``, []string{"Elena Oberholzer", "Oliver Maksan"}},
		{"e-mail gives way to the page's byline", `<meta name="author" content="d.kuckelkorn@boersen-zeitung.de">`,
			`<div id="authors"><span>Dieter Kuckelkorn</span></div>`, []string{"Dieter Kuckelkorn"}},
		{"site name gives way to a person", `<meta name="author" content="EXAMPLE.de">`,
			`<div class="authors"><span>capital</span> von Jemima Kelly 05. November 2024 15:36 Uhr</div>`, []string{"Jemima Kelly"}},
		{"labelled byline", ``, `<ul><li>Autorin/Autor Roman Goncharenko</li></ul>`, []string{"Roman Goncharenko"}},
		{"the site when nobody else is named", `<meta name="author" content="kicker">`, `<p class="author">amw</p>`, []string{"kicker"}},
		{"places after the site are no people", `<meta name="author" content="example.de, Frankfurt, Germany">`, ``, []string{"example.de"}},
		{"a role is no name", `<meta name="author" content="Christian Unger, Redakteur">`, ``, []string{"Christian Unger"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := `<html lang="de"><head><title>Ein Titel</title><link rel="canonical" href="https://www.example.de/a.html">` + tc.head +
				`</head><body><article><h1>Ein Titel</h1>` + tc.body + `<p>` + strings.Repeat("Ein Satz des Artikels über die Stadt. ", 15) + `</p>` +
				`<p>` + strings.Repeat("Noch ein Satz über den Rat. ", 15) + `</p></article></body></html>`
			a, err := Article("", []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Authors, tc.want) {
				t.Errorf("Authors = %q, want %q", a.Authors, tc.want)
			}
		})
	}
}

// TestGenericTitleSearchHeadline checks that og:title wins over a search
// headline that <h1>, JSON-LD and <title> repeat, and only then.
func TestGenericTitleSearchHeadline(t *testing.T) {
	page := func(title, og, ld, h1 string) []byte {
		return []byte(`<html lang="de"><head><title>` + title + `</title><meta property="og:title" content="` + og + `">` +
			`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"` + ld + `"}</script></head><body><article><h1>` + h1 + `</h1><p>` +
			strings.Repeat("Ein Satz des Artikels. ", 20) + `</p></article></body></html>`)
	}
	for _, tc := range []struct{ name, title, og, ld, h1, want string }{
		{"search headline everywhere but og", "EPI Zahlungssystem: So kann Europa | STERN.de", "Statt Paypal: So könnte Europa",
			"EPI Zahlungssystem: So kann Europa", "EPI Zahlungssystem: So kann Europa", "Statt Paypal: So könnte Europa"},
		{"og is the title with a suffix", "Thüringen: Vorwurf einer Lüge", "Thüringen: Vorwurf einer Lüge - WELT",
			"Thüringen: Vorwurf einer Lüge", "Thüringen: Vorwurf einer Lüge", "Thüringen: Vorwurf einer Lüge"},
		{"the <title> is the og headline", "Notbetrieb und Notfallplan in Osttirol", "Notbetrieb und Notfallplan in Osttirol",
			"Nur ein Drittel der Kinder kam", "Nur ein Drittel der Kinder kam", "Nur ein Drittel der Kinder kam"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Article("", page(tc.title, tc.og, tc.ld, tc.h1))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tc.want {
				t.Errorf("Title = %q, want %q", a.Title, tc.want)
			}
		})
	}
}
