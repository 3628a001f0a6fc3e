package feedxml

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestParseDeclinesHostile checks that the fast path declines, without
// building anything large, the hostile shapes issue 8 guards against and
// markup gofeed may read otherwise; and that it reads a plain feed.
func TestParseDeclinesHostile(t *testing.T) {
	var many bytes.Buffer
	many.WriteString(`<rss version="2.0"`)
	for i := range 100_000 {
		fmt.Fprintf(&many, ` a%d="x"`, i)
	}
	many.WriteString(`><channel><item><link>https://x.example/</link></item></channel></rss>`)
	deep := `<rss version="2.0"><channel><item><link>https://x.example/</link><x>` + strings.Repeat("<b>", 300) + strings.Repeat("</b>", 300) + `</x></item></channel></rss>`
	for name, body := range map[string]string{
		"many attributes": many.String(),
		"deep":            deep,
		"doctype":         `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel><title>&a;</title></channel></rss>`,
		"latin-1":         `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel></channel></rss>`,
		"xml:base":        `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/"><entry><link href="a"/></entry></feed>`,
		"unclosed":        `<rss version="2.0"><channel><item><link>https://x.example/</link></item>`,
		"mismatched":      `<rss version="2.0"><channel><Item></item></channel></rss>`,
		"]]> in text":     `<rss version="2.0"><channel><title>a]]>b</title></channel></rss>`,
		"late root":       `<!--` + strings.Repeat("x", 5000) + `--><rss version="2.0"></rss>`,
		"json":            `{"version": "https://jsonfeed.org/version/1.1"}`,
		"nested xmlns":    `<rss version="2.0"><channel><item xmlns:m="http://search.yahoo.com/mrss/"><m:thumbnail url="u"/></item></channel></rss>`,
	} {
		if f, ok := Parse([]byte(body)); ok {
			t.Errorf("%s: the fast path took it: %+v", name, f)
		}
	}
	f, ok := Parse([]byte(`<rss version="2.0"><channel><title>T</title><item><title>A &amp; B</title><link>https://x.example/a</link></item></channel></rss>`))
	if !ok || f.Title != "T" || len(f.Items) != 1 || f.Items[0].Title != "A & B" || f.Items[0].Link != "https://x.example/a" {
		t.Errorf("plain feed: %v %+v", ok, f)
	}
}
