package fetch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readOPML(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "opml", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseOPMLNested(t *testing.T) {
	feeds, skipped, err := ParseOPML(readOPML(t, "nested.opml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || skipped[0].URL != "file:///etc/passwd" {
		t.Errorf("ParseOPML skipped %+v, want the file: URL", skipped)
	}
	want := []OPMLFeed{
		{Title: "heise online News", URL: "https://www.heise.de/rss/heise-atom.xml", SiteURL: "https://www.heise.de/", Category: "News"},
		{Title: "Telepolis", URL: "https://www.telepolis.de/news-atom.xml", Category: "News"},
		{Title: "Go Blog", URL: "https://go.dev/blog/feed.atom", SiteURL: "https://go.dev/blog", Category: "Deeper"},
		{Title: "LWN & friends", URL: "https://lwn.net/headlines/rss"},
	}
	if len(feeds) != len(want) {
		t.Fatalf("ParseOPML = %+v, want %+v", feeds, want)
	}
	for i := range want {
		if feeds[i] != want[i] {
			t.Errorf("feed %d = %+v, want %+v", i, feeds[i], want[i])
		}
	}
}

func TestParseOPMLCharset(t *testing.T) {
	feeds, _, err := ParseOPML(readOPML(t, "latin1.opml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 || feeds[0].Title != "München" {
		t.Errorf("ParseOPML(latin1) = %+v", feeds)
	}
}

func TestParseOPMLBad(t *testing.T) {
	for name, in := range map[string]string{
		"empty":     "",
		"not xml":   "hello",
		"truncated": `<?xml version="1.0"?><opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/f">`,
		"html":      "<!DOCTYPE html><html><body>nope</body></html>",
	} {
		if feeds, _, err := ParseOPML([]byte(in)); err == nil {
			t.Errorf("%s: ParseOPML = %+v, nil; want an error", name, feeds)
		}
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	feeds := []OPMLFeed{
		{Title: `Quotes "and" <tags> & ampersands`, URL: "https://a.example/feed?x=1&y=2"},
		{Title: "", URL: "https://b.example/rss", SiteURL: "https://b.example/"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "kiosk subscriptions", feeds, time.Date(2024, 10, 24, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<opml version="2.0">`, "<title>kiosk subscriptions</title>", "<dateCreated>Thu, 24 Oct 2024 10:00:00 +0000</dateCreated>", `xmlUrl="https://a.example/feed?x=1&amp;y=2"`} {
		if !strings.Contains(out, s) {
			t.Errorf("OPML output lacks %q:\n%s", s, out)
		}
	}
	back, _, err := ParseOPML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// A feed without a title is written with its URL as text.
	want := []OPMLFeed{feeds[0], {Title: "https://b.example/rss", URL: "https://b.example/rss", SiteURL: "https://b.example/"}}
	if len(back) != 2 || back[0] != want[0] || back[1] != want[1] {
		t.Errorf("round trip = %+v, want %+v", back, want)
	}
}

// A remote OPML can carry a C1 CSI (U+009B) or a bidi override (U+202E)
// in an xmlUrl, raw or as a character reference; such outlines are skipped
// and reported, and titles lose those characters.
func TestParseOPMLHostileCharacters(t *testing.T) {
	doc := "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>t</title></head><body>\n" +
		"<outline text=\"csi\" xmlUrl=\"https://a.example/f\u009b31m\"/>\n" +
		"<outline text=\"bidi ref\" xmlUrl=\"https://b.example/&#x202E;gpj.exe\"/>\n" +
		"<outline text=\"zero width\" xmlUrl=\"https://c.example/\u200bf\"/>\n" +
		"<outline text=\"ok\u202e title\" title=\"Gut\u009b1m \u202eTitel\" xmlUrl=\"https://ok.example/feed\" htmlUrl=\"https://ok.example/\u202e\"/>\n" +
		"</body></opml>"
	feeds, skipped, err := ParseOPML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLFeed{{Title: "Gut Titel", URL: "https://ok.example/feed", SiteURL: "https://ok.example/%E2%80%AE"}}
	if len(feeds) != 1 || feeds[0] != want[0] {
		t.Errorf("ParseOPML feeds = %+v, want %+v", feeds, want)
	}
	wantSkips := []string{"https://a.example/f\u009b31m", "https://b.example/\u202egpj.exe", "https://c.example/\u200bf"}
	if len(skipped) != len(wantSkips) {
		t.Fatalf("ParseOPML skipped %+v, want %q", skipped, wantSkips)
	}
	for i, w := range wantSkips {
		if skipped[i].URL != w || !strings.Contains(skipped[i].Reason, "control") {
			t.Errorf("skip %d = %+v, want %q for control characters", i, skipped[i], w)
		}
	}
}

func TestHasControl(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"https://a.example/feed?x=1&y=%E2%80%AE", false},
		{"https://ümlaut.example/München", false},
		{"https://a.example/\u009b", true},
		{"https://a.example/\u202e", true},
		{"https://a.example/\u2066", true},
		{"https://a.example/\u200b", true},
		{"https://a.example/\ufeff", true},
		{"https://a.example/\u2028", true},
		{"https://a.example/\x1b[31m", true},
		{"https://a.example/\x7f", true},
		{"https://a.example/\t", true},
		{"https://a.example/\xff", true},
	} {
		if got := HasControl(tc.in); got != tc.want {
			t.Errorf("HasControl(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzParseOPML(f *testing.F) {
	f.Add(readOPMLf(f, "nested.opml"))
	f.Add(readOPMLf(f, "latin1.opml"))
	f.Add([]byte(`<opml><body><outline xmlUrl="https://a.example/f"><outline xmlUrl="http://b.example/g"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feeds, _, err := ParseOPML(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, fd := range feeds {
			if seen[fd.URL] || !(strings.HasPrefix(fd.URL, "http://") || strings.HasPrefix(fd.URL, "https://")) || HasControl(fd.URL) || HasControl(fd.SiteURL) {
				t.Fatalf("bad or duplicate feed %+v", fd)
			}
			seen[fd.URL] = true
			if fd.Title != CleanLine(fd.Title) {
				t.Fatalf("uncleaned title %q", fd.Title)
			}
		}
	})
}

func readOPMLf(f *testing.F, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "opml", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}
