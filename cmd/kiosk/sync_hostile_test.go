package main

import (
	"encoding/binary"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/kiosk-reader/kiosk/cache"
)

// TestSyncHostileFeeds is issue 8 items 1 and 9 end to end: one sync of a
// good feed next to a feed nested two million levels deep, one cut off
// mid-item, one in UTF-16 and one with forbidden character references.
// The sync finishes, every feed's complete entries are stored, and the
// summary says what was cut. A feed's own max_items is honoured.
func TestSyncHostileFeeds(t *testing.T) {
	site := newFixtureSite(t)
	item := func(n int) string {
		return fmt.Sprintf(`<item><title>Item %d</title><link>https://other.example/%d</link></item>`, n, n)
	}
	deep := `<rss version="2.0" xmlns:x="urn:x"><channel><title>Deep</title>` + item(1) +
		`<item><title>Item 2</title><link>https://other.example/2</link><x:a>` +
		strings.Repeat("<b>", 2_100_000) // 6.3 MB, never closed, as in the issue
	site.setFeed("/deep.xml", []byte(deep))
	cut := `<rss version="2.0"><channel><title>Cut</title>` + item(3) + item(4) + `<item><title>Item 5</title><link>https://oth`
	site.setFeed("/cut.xml", []byte(cut))
	var u16 []byte
	u16 = binary.LittleEndian.AppendUint16(u16, 0xFEFF)
	for _, u := range utf16.Encode([]rune(`<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Sechzehn</title>` + item(6) + `</channel></rss>`)) {
		u16 = binary.LittleEndian.AppendUint16(u16, u)
	}
	site.setFeed("/u16.xml", u16)
	site.setFeed("/refs.xml", []byte(`<rss version="2.0"><channel><title>Refs&#x8;</title>`+item(7)+`<item><title>Item&#27; 8</title><link>https://other.example/8</link></item></channel></rss>`))
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	writeCfg(t, filepath.Join(dir, "config.toml"), `
[[feed]]
name = "heise online"
url = "https://www.heise.de/rss/heise-atom.xml"
max_items = 2
[[feed]]
name = "Deep"
url = "https://deep.example/deep.xml"
[[feed]]
name = "Cut"
url = "https://cut.example/cut.xml"
[[feed]]
name = "Sechzehn"
url = "https://u16.example/u16.xml"
[[feed]]
name = "Refs"
url = "https://refs.example/refs.xml"
`)
	_, stderr, err := syncEnv(t, srv, dir, "sync")
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	for _, s := range []string{"feeds: 5 ok", "note: https://cut.example/cut.xml: the feed was cut off; kept its 2 complete entries",
		"note: https://deep.example/deep.xml: elements nested deeper than 64 levels lost their markup",
		"note: https://www.heise.de/rss/heise-atom.xml: the feed lists 4 items; took the newest 2 (max_items)"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("sync stderr lacks %q:\n%s", s, stderr)
		}
	}
	store := openTestCache(t, dir)
	want := map[string]int{"https://www.heise.de/rss/heise-atom.xml": 2, "https://deep.example/deep.xml": 1, "https://cut.example/cut.xml": 2,
		"https://u16.example/u16.xml": 1, "https://refs.example/refs.xml": 2}
	for feed, n := range want {
		items, err := store.List(t.Context(), cache.Query{Feed: feed, Limit: 100})
		if err != nil || len(items) != n {
			t.Errorf("%s: %d entries, %v; want %d", feed, len(items), err, n)
		}
		for _, it := range items {
			if strings.ContainsAny(it.Title, "\x08\x1b") {
				t.Errorf("%s: title %q keeps a control character", feed, it.Title)
			}
		}
	}
}
