package fetch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/kiosk-reader/kiosk/fetch/internal/heappeak"
	"strings"
	"testing"
	"unicode/utf16"
)

// nestedFeed wraps n nested <b> elements in a namespaced extension element
// at the place where marks "%s" in tmpl.
func nestedFeed(tmpl string, n int) []byte {
	var b bytes.Buffer
	b.Grow(n*7 + len(tmpl))
	b.WriteString(strings.Repeat("<b>", n))
	b.WriteString("deep")
	b.WriteString(strings.Repeat("</b>", n))
	return fmt.Appendf(nil, tmpl, b.String())
}

// TestParseFeedDeepNesting is issue 8 item 1: two million nested elements
// inside an extension element overflowed the stack of gofeed's recursive
// extension parser. The feed now parses, its entries intact.
func TestParseFeedDeepNesting(t *testing.T) {
	const n = 2_100_000
	cases := map[string]string{
		"rss item extension": `<rss version="2.0" xmlns:x="urn:x"><channel><title>T</title>` +
			`<item><title>One</title><link>https://example.org/1</link><x:a>%s</x:a></item>` +
			`<item><title>Two</title><link>https://example.org/2</link></item></channel></rss>`,
		"rss channel extension": `<rss version="2.0" xmlns:x="urn:x"><channel><title>T</title><x:a>%s</x:a>` +
			`<item><title>One</title><link>https://example.org/1</link></item>` +
			`<item><title>Two</title><link>https://example.org/2</link></item></channel></rss>`,
		"atom feed extension": `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><title>T</title><x:a>%s</x:a>` +
			`<entry><title>One</title><id>urn:1</id><link href="https://example.org/1"/></entry>` +
			`<entry><title>Two</title><id>urn:2</id><link href="https://example.org/2"/></entry></feed>`,
		"atom entry extension": `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><title>T</title>` +
			`<entry><title>One</title><id>urn:1</id><link href="https://example.org/1"/><x:a>%s</x:a></entry>` +
			`<entry><title>Two</title><id>urn:2</id><link href="https://example.org/2"/></entry></feed>`,
	}
	for name, tmpl := range cases {
		t.Run(name, func(t *testing.T) {
			body := nestedFeed(tmpl, n)
			feed, entries, fix, err := parseFeedFix("https://example.org/feed", "https://example.org/feed", body)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !fix.flattened {
				t.Errorf("fix.flattened = false, want true")
			}
			if feed.Title != "T" || len(entries) != 2 || entries[0].Title != "One" || entries[1].Title != "Two" {
				t.Errorf("feed %q, entries %+v", feed.Title, entries)
			}
		})
	}
}

// TestPrepareFeedKeepsDepth checks that nesting within the bound passes
// through unchanged, and that text of flattened elements stays.
func TestPrepareFeedKeepsDepth(t *testing.T) {
	in := string(nestedFeed(`<rss><channel><item><x>%s</x></item></channel></rss>`, maxFeedDepth-4))
	out, fix := prepareFeed([]byte(in))
	if string(out) != in || fix.flattened || fix.truncated {
		t.Errorf("within the bound: changed (fix %+v)", fix)
	}
	in = string(nestedFeed(`<rss><channel><item><x>%s</x></item></channel></rss>`, maxFeedDepth*2))
	out, fix = prepareFeed([]byte(in))
	if !fix.flattened || !bytes.Contains(out, []byte("deep")) || bytes.Count(out, []byte("<b>")) != maxFeedDepth-4 ||
		bytes.Count(out, []byte("<b>")) != bytes.Count(out, []byte("</b>")) {
		t.Errorf("beyond the bound: fix %+v, %d <b>, %d </b>", fix, bytes.Count(out, []byte("<b>")), bytes.Count(out, []byte("</b>")))
	}
}

// TestParseFeedInvalidCharRefs is issue 8 item 9: one reference to a
// character XML forbids no longer rejects the whole feed.
func TestParseFeedInvalidCharRefs(t *testing.T) {
	for _, ref := range []string{"&#x8;", "&#27;", "&#0;", "&#xFFFE;", "&#xD800;", "&#x110000;", "\x08", "\x1b[31m"} {
		t.Run(fmt.Sprintf("%q", ref), func(t *testing.T) {
			body := `<?xml version="1.0"?><rss version="2.0"><channel><title>T` + ref + `</title>` +
				`<item><title>A` + ref + `B</title><link>https://example.org/1</link><description>x` + ref + `y</description></item>` +
				`<item><title attr="` + ref + `">Two</title><link>https://example.org/2</link></item></channel></rss>`
			feed, entries, err := ParseFeed("https://example.org/feed", []byte(body))
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if feed.Title != "T" || len(entries) != 2 || entries[0].Title != "AB" || entries[0].Summary != "xy" {
				t.Errorf("feed %q, entries %+v", feed.Title, entries)
			}
		})
	}
	// Valid references stay.
	_, entries, err := ParseFeed("https://example.org/feed", []byte(`<rss version="2.0"><channel><item><title>&#228;&#x1F600;&amp;</title><link>https://example.org/1</link></item></channel></rss>`))
	if err != nil || len(entries) != 1 || entries[0].Title != "ä😀&" {
		t.Errorf("valid references: %v, %+v", err, entries)
	}
}

// TestParseFeedUTF16And32 is issue 8 item 9: a valid UTF-16 or UTF-32 feed
// with a byte order mark (or UTF-16 without one) is decoded.
func TestParseFeedUTF16And32(t *testing.T) {
	src := `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>Grüße 😀</title>` +
		`<item><title>Straße</title><link>https://example.org/1</link></item></channel></rss>`
	u16 := func(s string, order binary.AppendByteOrder, bom bool) []byte {
		var out []byte
		if bom {
			out = order.AppendUint16(out, 0xFEFF)
		}
		for _, u := range utf16.Encode([]rune(s)) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	u32 := func(s string, order binary.AppendByteOrder) []byte {
		out := order.AppendUint32(nil, 0xFEFF)
		for _, r := range s {
			out = order.AppendUint32(out, uint32(r))
		}
		return out
	}
	cases := map[string][]byte{
		"utf-16le bom":    u16(fmt.Sprintf(src, "UTF-16"), binary.LittleEndian, true),
		"utf-16be bom":    u16(fmt.Sprintf(src, "UTF-16"), binary.BigEndian, true),
		"utf-16le no bom": u16(fmt.Sprintf(src, "utf-16le"), binary.LittleEndian, false),
		"utf-16be no bom": u16(fmt.Sprintf(src, "UTF-16BE"), binary.BigEndian, false),
		"utf-32le bom":    u32(fmt.Sprintf(src, "UTF-32"), binary.LittleEndian),
		"utf-32be bom":    u32(fmt.Sprintf(src, "UTF-32"), binary.BigEndian),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			feed, entries, err := ParseFeed("https://example.org/feed", body)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if feed.Title != "Grüße 😀" || len(entries) != 1 || entries[0].Title != "Straße" {
				t.Errorf("feed %q, entries %+v", feed.Title, entries)
			}
		})
	}
}

// TestParseFeedTruncated is issue 8 item 9: a feed cut off mid-item keeps
// the complete entries before the break, and says it was cut.
func TestParseFeedTruncated(t *testing.T) {
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` +
		`<item><title>One</title><link>https://example.org/1</link></item>` +
		`<item><title>Two</title><link>https://example.org/2</link><description><![CDATA[<p>x</p>]]></description></item>` +
		`<item><title>Three</title><link>https://example.org/3</link><description>a long text that is cut off</description></item></channel></rss>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>` +
		`<entry><title>One</title><id>urn:1</id><link href="https://example.org/1"/></entry>` +
		`<entry><title>Two</title><id>urn:2</id><link href="https://example.org/2"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>` +
		`<entry><title>Three</title><id>urn:3</id><link href="https://example.org/3"/><summary>a long text that is cut off</summary></entry></feed>`
	for name, doc := range map[string]string{"rss": rss, "atom": atom} {
		third := strings.Index(doc, "<title>Three") - 6 // just inside the third entry's start tag
		// Cut at every byte from inside the third entry up to just before the end.
		for cut := third; cut < len(doc)-1; cut++ {
			body := doc[:cut]
			_, entries, fix, err := parseFeedFix("https://example.org/feed", "https://example.org/feed", []byte(body))
			if err != nil {
				t.Fatalf("%s cut at %d (%q): %v", name, cut, body[max(0, cut-20):], err)
			}
			if !fix.truncated {
				t.Errorf("%s cut at %d: fix.truncated = false", name, cut)
			}
			if len(entries) < 2 || entries[0].Title != "One" || entries[1].Title != "Two" {
				t.Fatalf("%s cut at %d (%q): entries %+v", name, cut, body[max(0, cut-20):], entries)
			}
		}
		// The whole document is not truncated.
		_, entries, fix, err := parseFeedFix("https://example.org/feed", "https://example.org/feed", []byte(doc))
		if err != nil || fix.truncated || len(entries) != 3 {
			t.Errorf("%s whole: %v, fix %+v, %d entries", name, err, fix, len(entries))
		}
	}
	// Cut inside the first item: nothing complete, a clear error.
	_, entries, fix, err := parseFeedFix("https://example.org/feed", "https://example.org/feed", []byte(rss[:strings.Index(rss, "One")+2]))
	if !errors.Is(err, ErrTruncated) || !fix.truncated || len(entries) != 0 {
		t.Errorf("cut in the first item: %v, fix %+v, %d entries", err, fix, len(entries))
	}
	// The real heise feed cut after 5000 bytes keeps its complete entries.
	raw := readFeedFixture(t, "heise-atom-2024-10-24.xml")
	_, entries, fix, err = parseFeedFix(heiseFeedURL, heiseFeedURL, raw[:5000])
	if complete := strings.Count(string(raw[:5000]), "</entry>"); err != nil || !fix.truncated || len(entries) != complete || complete == 0 {
		t.Errorf("heise cut at 5000: %v, fix %+v, %d entries, want %d", err, fix, len(entries), complete)
	}
}

// TestPrepareFeedPassesWellFormed checks that the real fixtures pass
// through prepareFeed byte for byte.
func TestPrepareFeedPassesWellFormed(t *testing.T) {
	for _, name := range []string{"heise-atom-2024-10-24.xml"} {
		raw := readFeedFixture(t, name)
		out, fix := prepareFeed(raw)
		if !bytes.Equal(out, bytes.TrimSpace(raw)) || fix != (feedFix{items: 153}) {
			t.Errorf("%s: changed (fix %+v)", name, fix)
		}
	}
}

// TestParseFeedItemCap checks that a feed of 150,000 items reaches the
// parser with its first maxFeedItems only, whole, in a bounded heap.
func TestParseFeedItemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Huge</title>`)
	for i := range 150_000 {
		fmt.Fprintf(&b, "<item><title>%d</title><link>https://x.example/%d</link></item>", i, i)
	}
	b.WriteString(`</channel></rss>`)
	stop := heappeak.Start().Stop
	_, entries, fix, err := parseFeedFix("https://x.example/feed", "https://x.example/feed", []byte(b.String()))
	peak := stop()
	if err != nil || fix.items != 150_000 || fix.skipped != 150_000-maxFeedItems || len(entries) != maxFeedItems {
		t.Fatalf("parse: %v, fix %+v, %d entries", err, fix, len(entries))
	}
	if entries[0].Title != "0" || entries[maxFeedItems-1].Title != fmt.Sprint(maxFeedItems-1) {
		t.Errorf("entries %q … %q, want the first %d in order", entries[0].Title, entries[maxFeedItems-1].Title, maxFeedItems)
	}
	t.Logf("peak heap %d MiB", peak>>20)
	// A cut inside a skipped item still keeps the read ones.
	cut := b.String()[:b.Len()-100]
	_, entries, fix, err = parseFeedFix("https://x.example/feed", "https://x.example/feed", []byte(cut))
	if err != nil || !fix.truncated || len(entries) != maxFeedItems {
		t.Errorf("cut: %v, fix %+v, %d entries", err, fix, len(entries))
	}
}

// BenchmarkParseFeedDeepNesting reports the peak heap of parsing the worst
// nesting input of issue 8 item 1 (2.1 million nested elements, 15 MB).
func BenchmarkParseFeedDeepNesting(b *testing.B) {
	body := nestedFeed(`<rss version="2.0" xmlns:x="urn:x"><channel><item><link>https://example.org/1</link><x:a>%s</x:a></item></channel></rss>`, 2_100_000)
	b.SetBytes(int64(len(body)))
	var peak uint64
	for b.Loop() {
		stop := heappeak.Start().Stop
		if _, _, err := ParseFeed("https://example.org/feed", body); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkPrepareFeed is the cost of the safety pass on the real heise feed.
func BenchmarkPrepareFeed(b *testing.B) {
	raw := readFeedFixture(b, "heise-atom-2024-10-24.xml")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		prepareFeed(raw)
	}
}

// BenchmarkParseFeedHuge reports the peak heap of parsing a feed of
// 150,000 items (issue 8 item 6), of which maxFeedItems are parsed.
func BenchmarkParseFeedHuge(b *testing.B) {
	var buf strings.Builder
	buf.WriteString(`<rss version="2.0"><channel><title>Huge</title>`)
	for i := range 150_000 {
		fmt.Fprintf(&buf, "<item><link>https://x.example/%d</link></item>", i)
	}
	buf.WriteString(`</channel></rss>`)
	body := []byte(buf.String())
	b.SetBytes(int64(len(body)))
	var peak uint64
	for b.Loop() {
		stop := heappeak.Start().Stop
		if _, _, err := ParseFeed("https://x.example/feed", body); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// TestParseFeedDoctypeSubset: a comment with an apostrophe in a DOCTYPE's
// internal subset does not swallow the feed.
func TestParseFeedDoctypeSubset(t *testing.T) {
	body := `<?xml version="1.0"?><!DOCTYPE rss [ <!-- do not edit, it's generated --> <!ENTITY x "y's"> <?pi it's?> ]>` +
		`<rss version="2.0"><channel><title>T</title><item><title>One</title><link>https://x.example/1</link></item></channel></rss>`
	out, fix := prepareFeed([]byte(body))
	if string(out) != body || fix.truncated {
		t.Errorf("prepareFeed changed a well-formed feed (fix %+v):\n%s", fix, out)
	}
}
