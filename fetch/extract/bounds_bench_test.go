package extract

import (
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/internal/heappeak"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// BenchmarkExtractHostile measures Extract plus Markdown on the hostile
// pages of issue 8 and reports the peak live heap and the Markdown size.
// Before the bounds, the nested quotes page made 6.7 MB of Markdown and
// the reopen page 20 million nodes.
func BenchmarkExtractHostile(b *testing.B) {
	for _, bc := range []struct {
		name string
		page []byte
	}{
		{"nested quotes 150x11000", nestedQuotesPage(150, 11_000)},
		{"2M nested b", deepPage("b", 2_000_000)},
		{"2M nested div", deepPage("div", 2_000_000)},
		{"reopen 400x50000", reopenPage(400, 50_000)},
		{"figures 2x8000", manyFiguresPage(8000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.page)))
			b.ReportAllocs()
			h := heappeak.Start()
			md := 0
			for b.Loop() {
				a, err := Article("https://example.org/hostile", bc.page)
				if err != nil {
					b.Fatal(err)
				}
				md = len(markdown.Document(a))
			}
			b.ReportMetric(float64(h.Stop())/1e6, "peak-heap-MB")
			b.ReportMetric(float64(md), "md-bytes")
		})
	}
}
