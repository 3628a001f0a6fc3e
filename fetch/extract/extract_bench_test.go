package extract

import (
	"bytes"
	"net/url"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

const heise2024URL = "https://www.heise.de/news/Ionos-Phishing-Masche-mit-neuen-EU-Richtlinien-soll-Opfer-ueberzeugen-9691259.html"

// BenchmarkExtractHeise2024 measures Extract plus Markdown on the real 2024
// page (220 KB); the target is a median of at most 5 ms on two cores.
func BenchmarkExtractHeise2024(b *testing.B) {
	page := readPage(b, "heise-news-9691259-2024.html")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := Article(heise2024URL, page)
		if err != nil {
			b.Fatal(err)
		}
		if markdown.Document(a) == "" {
			b.Fatal("empty Markdown")
		}
	}
}

// BenchmarkReadabilityHeise2024 measures readability alone (parse and
// article detection, no Markdown) on the same page, for comparison.
func BenchmarkReadabilityHeise2024(b *testing.B) {
	page := readPage(b, "heise-news-9691259-2024.html")
	u, err := url.Parse(heise2024URL)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := readability.FromReader(bytes.NewReader(page), u)
		if err != nil {
			b.Fatal(err)
		}
		if a.Node == nil {
			b.Fatal("no article")
		}
	}
}
