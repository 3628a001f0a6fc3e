package fetch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const heiseFeedURL = "https://www.heise.de/rss/heise-atom.xml"

func readFeedFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFeedHeise(t *testing.T) {
	raw := readFeedFixture(t, "heise-atom-2024-10-24.xml")
	feed, entries, err := ParseFeed(heiseFeedURL, raw)
	if err != nil {
		t.Fatalf("ParseFeed: %v", err)
	}
	if feed.Title != "heise online News" || feed.SiteURL != "https://www.heise.de/" || feed.URL != heiseFeedURL {
		t.Errorf("feed = %+v", feed)
	}
	// 153 <entry> elements, one of them (-9985333) listed twice.
	if got := strings.Count(string(raw), "<entry>"); got != 153 {
		t.Fatalf("fixture has %d entries, want 153", got)
	}
	if len(entries) != 152 {
		t.Fatalf("len(entries) = %d, want 152", len(entries))
	}
	ids := map[string]bool{}
	var paywalled, noAuthor, noImage int
	for _, e := range entries {
		if ids[e.ID] {
			t.Errorf("duplicate ID %s", e.ID)
		}
		ids[e.ID] = true
		if e.Feed != heiseFeedURL {
			t.Errorf("%s: Feed = %q", e.ID, e.Feed)
		}
		if e.ID != HeiseContentID(e.GUID) {
			t.Errorf("ID %q is not the content ID of GUID %q", e.ID, e.GUID)
		}
		for _, bad := range []string{"\u200b", "\u00a0", "wt_mc", "heise+ |", "<", "\n"} {
			if strings.Contains(e.Title, bad) || strings.Contains(e.Summary, bad) {
				t.Errorf("%s: title %q or summary %q contains %q", e.ID, e.Title, e.Summary, bad)
			}
		}
		if e.Title == "" || e.Summary == "" || e.Published.IsZero() {
			t.Errorf("%s: missing title, summary or date: %+v", e.ID, e)
		}
		if e.Paywalled {
			paywalled++
		}
		if e.Author == "" {
			noAuthor++
		}
		if e.Image == "" {
			noImage++
		} else if !strings.HasPrefix(e.Image, "https://www.heise.de/scale/geometry/450/q80//imgs/") {
			t.Errorf("%s: Image = %q", e.ID, e.Image)
		}
	}
	if paywalled != 4 {
		t.Errorf("paywalled entries = %d, want 4 (5 heise+ entries, one listed twice)", paywalled)
	}
	if noAuthor == 0 || noImage == 0 {
		t.Errorf("entries without author = %d, without image = %d; the fixture has both", noAuthor, noImage)
	}

	first := entries[0]
	want := Entry{
		ID:        "9993848",
		Feed:      heiseFeedURL,
		GUID:      "http://heise.de/-9993848",
		URL:       "https://www.heise.de/news/Regisseur-der-Olympischen-Spiele-belaestigt-Verhaftungswelle-in-Frankreich-9993848.html?seite=all",
		Title:     "Regisseur der Olympischen Spiele belästigt: Verhaftungswelle in Frankreich",
		Summary:   "Frankreich greift nach antisemitischen und homophoben Beschimpfungen sowie Morddrohungen gegen Thomas Jolly durch. Bislang sind 7 Franzosen in Haft.",
		Author:    "Daniel AJ Sokolov",
		Published: time.Date(2024, 10, 24, 20, 54, 0, 0, time.UTC),
		Updated:   time.Date(2024, 10, 24, 20, 54, 0, 0, time.UTC),
		Image:     "https://www.heise.de/scale/geometry/450/q80//imgs/18/4/6/9/5/8/9/2/Hass-e40cbd2669b52eff.jpeg",
	}
	if first != want {
		t.Errorf("first entry =\n%+v\nwant\n%+v", first, want)
	}

	// -9985333 appears at 2024-10-24T17:30+02:00 and, earlier, at 2024-10-22T14:38+02:00:
	// the newer one is kept, at the position of the first occurrence.
	var batman *Entry
	for i := range entries {
		if entries[i].ID == "9985333" {
			batman = &entries[i]
		}
	}
	if batman == nil {
		t.Fatal("entry 9985333 missing")
	}
	if !batman.Paywalled || !strings.HasPrefix(batman.Title, `"Batman: Arkham Shadow" angespielt`) {
		t.Errorf("9985333 = %+v", *batman)
	}
	if want := time.Date(2024, 10, 24, 15, 30, 0, 0, time.UTC); !batman.Published.Equal(want) {
		t.Errorf("9985333 Published = %v, want the newer %v", batman.Published, want)
	}
}

func TestParseFeedFormats(t *testing.T) {
	tests := []struct {
		file      string
		title     string
		n         int
		firstID   string
		firstURL  string
		firstText string // title of the first entry
		author    string
		image     string
		published time.Time
	}{
		{"rss2.xml", "Example & News", 3, EntryID("https://feeds.example.com/rss2.xml", "", "story-1", ""), "https://news.example.org/2024/first?id=7", "First story", "Alice Example",
			"https://news.example.org/img/first.jpg", time.Date(2024, 10, 24, 8, 0, 0, 0, time.UTC)},
		{"rss091.xml", "Old School", 1, EntryID("https://feeds.example.com/rss091.xml", "", "", "http://old.example.com/gruesse.html"), "http://old.example.com/gruesse.html", "Grüße aus München", "", "", time.Time{}},
		{"rss090.rdf", "heise online News", 2, "9990001", "https://www.heise.de/news/Ein-Artikel-9990001.html", "Ein Artikel", "", "", time.Time{}},
		{"feed.json", "JSON Example", 2, EntryID("https://feeds.example.com/feed.json", "", "https://json.example.net/p/1", ""), "https://json.example.net/p/1", "Hello JSON", "Carol, Dan",
			"https://json.example.net/img/1.webp", time.Date(2024, 10, 20, 8, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			feedURL := "https://feeds.example.com/" + tt.file
			feed, entries, err := ParseFeed(feedURL, readFeedFixture(t, tt.file))
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if feed.Title != tt.title {
				t.Errorf("feed title = %q, want %q", feed.Title, tt.title)
			}
			if len(entries) != tt.n {
				t.Fatalf("len(entries) = %d, want %d: %+v", len(entries), tt.n, entries)
			}
			e := entries[0]
			if e.ID != tt.firstID || e.URL != tt.firstURL || e.Title != tt.firstText || e.Author != tt.author || e.Image != tt.image || !e.Published.Equal(tt.published) {
				t.Errorf("first entry = %+v\nwant ID %s URL %s title %q author %q image %q published %v",
					e, tt.firstID, tt.firstURL, tt.firstText, tt.author, tt.image, tt.published)
			}
		})
	}
}

func TestParseFeedRSSDetails(t *testing.T) {
	_, entries, err := ParseFeed("https://news.example.org/feed.rss", readFeedFixture(t, "rss2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries[0].Summary; got != "The first story." {
		t.Errorf("HTML summary = %q, want the text without markup or script", got)
	}
	// A relative link resolves against the feed's URL; the author comes from "email (Name)".
	if got := entries[1]; got.URL != "https://news.example.org/2024/second" || got.Author != "Bob Example" || got.Image != "https://news.example.org/img/second.png" {
		t.Errorf("second entry = %+v", got)
	}
	// The image of the third comes from the first <img> in the description, made absolute.
	if got := entries[2].Image; got != "https://news.example.org/img/third.gif" {
		t.Errorf("inline image = %q", got)
	}
	// The item without a link and the javascript: one are skipped.
	for _, e := range entries {
		if !strings.HasPrefix(e.URL, "https://") {
			t.Errorf("entry with unusable URL kept: %+v", e)
		}
	}
}

func TestParseFeedBadInput(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		notFeed bool
	}{
		{"empty", nil, true},
		{"blank", []byte(" \n\t "), true},
		{"html page", readFeedFixture(t, "page.html"), true},
		{"plain text", []byte("hello, world"), true},
		{"malformed xml", readFeedFixture(t, "malformed.xml"), false},
		{"truncated heise before its first entry", readFeedFixture(t, "heise-atom-2024-10-24.xml")[:800], false},
		{"bad json", []byte(`{"version": "https://jsonfeed.org/version/1", "items": [`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, entries, err := ParseFeed("https://bad.example/feed", tt.body)
			if err == nil {
				t.Fatalf("ParseFeed = %d entries, nil error; want an error", len(entries))
			}
			if errors.Is(err, ErrNotFeed) != tt.notFeed {
				t.Errorf("ParseFeed error %q: errors.Is(ErrNotFeed) = %v, want %v", err, !tt.notFeed, tt.notFeed)
			}
			if !strings.Contains(err.Error(), "https://bad.example/feed") {
				t.Errorf("error %q does not name the feed", err)
			}
		})
	}
}

func TestParseFeedHTMLNamesFeed(t *testing.T) {
	_, _, err := ParseFeed("https://www.heise.de/", readFeedFixture(t, "homepage.html"))
	if !errors.Is(err, ErrNotFeed) || !strings.Contains(err.Error(), "an HTML page that links to the feed https://www.heise.de/rss/heise-atom.xml") {
		t.Errorf("ParseFeed(home page) = %v, want ErrNotFeed naming the page's Atom feed", err)
	}
	if got := feedLinkInPage("https://x.example/", readFeedFixture(t, "page.html")); got != "" {
		t.Errorf("feedLinkInPage of a page without feed links = %q", got)
	}
}

func TestParseFeedEscapes(t *testing.T) {
	feed, entries, err := ParseFeed("https://evil.example/feed", readFeedFixture(t, "escapes.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("len(entries) = %d, want 1", len(entries))
	}
	e := entries[0]
	for _, s := range []string{feed.Title, e.Title, e.Summary, e.Author} {
		for _, r := range s {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u202e' {
				t.Errorf("text %q contains control character %U", s, r)
			}
		}
		if strings.Contains(s, "[31m") || strings.Contains(s, "pwned") || strings.Contains(s, "[1m") {
			t.Errorf("text %q keeps the rest of an escape sequence", s)
		}
	}
	if feed.Title != "Evil feed" || e.Title != "Red alert and clear" || e.Author != "Mallory" {
		t.Errorf("feed title %q, entry title %q, author %q", feed.Title, e.Title, e.Author)
	}
}

func TestParseFeedDates(t *testing.T) {
	_, entries, err := ParseFeed("https://dates.example/feed", readFeedFixture(t, "dates.xml"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Time{}
	for _, e := range entries {
		got[e.Title] = e.Published
	}
	for _, title := range []string{"No date", "Garbage date", "Year zero"} {
		if p, ok := got[title]; !ok || !p.IsZero() {
			t.Errorf("%q: Published = %v (present %v), want zero", title, p, ok)
		}
	}
	if p := got["Good date"]; !p.Equal(time.Date(2024, 10, 24, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Good date: Published = %v", p)
	}
	// The GUID "dup" occurs three times: only the newest survives.
	if _, ok := got["Dup new"]; !ok || len(entries) != 5 {
		t.Errorf("entries = %+v, want 5 with only \"Dup new\" of the duplicates", entries)
	}
}

func TestParseFeedManyEntries(t *testing.T) {
	body := genRSS("big", 10000, 0)
	_, entries, err := ParseFeed("https://big.example/feed", body)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 10000 {
		t.Errorf("len(entries) = %d, want 10000", len(entries))
	}
}

// genRSS returns an RSS 2.0 feed with n items whose links and GUIDs are
// unique per name; gen varies the titles (a new version of the feed).
func genRSS(name string, n, gen int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Feed %s</title><link>https://%s.example/</link><description>generated</description>\n", name, name)
	base := time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>%s item %d v%d</title><link>https://%s.example/a/%d?utm_source=rss</link><guid>%s-%d</guid><pubDate>%s</pubDate><description>&lt;p&gt;Teaser of item %d with some words so it looks like a real summary of an article.&lt;/p&gt;</description></item>\n",
			name, i, gen, name, i, name, i, base.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"rss2.xml", "rss091.xml", "rss090.rdf", "feed.json", "malformed.xml", "page.html", "homepage.html", "escapes.xml", "dates.xml"} {
		f.Add(readFeedFixture(f, name))
	}
	f.Add(readFeedFixture(f, "heise-atom-2024-10-24.xml")[:3000])
	// Issue 8's hostile inputs, small: deep nesting, forbidden character
	// references, UTF-16 with a BOM, a feed cut off mid-item.
	f.Add(nestedFeed(`<rss version="2.0" xmlns:x="urn:x"><channel><item><link>https://x.example/1</link><x:a>%s</x:a></item></channel></rss>`, 200))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>a&#x8;b&#27;</title><link>https://x.example/1</link></item></channel></rss>`))
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00<\x00/\x00r\x00s\x00s\x00>\x00"))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>a</title><link>https://x.example/1</link></item><item><title>b</ti`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, entries, err := ParseFeed("https://fuzz.example/feed", body)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if e.ID == "" || seen[e.ID] {
				t.Fatalf("empty or duplicate ID in %+v", e)
			}
			seen[e.ID] = true
			if !strings.HasPrefix(e.URL, "http://") && !strings.HasPrefix(e.URL, "https://") {
				t.Fatalf("URL %q is not http(s)", e.URL)
			}
			if e.Title != CleanLine(e.Title) || e.Summary != CleanLine(e.Summary) {
				t.Fatalf("uncleaned text in %+v", e)
			}
		}
	})
}

func BenchmarkParseFeedHeise(b *testing.B) {
	raw := readFeedFixture(b, "heise-atom-2024-10-24.xml")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, _, err := ParseFeed(heiseFeedURL, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFeedHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a < b and c > d", "a < b and c > d"},
		{"Tom &amp; Jerry &#8211; &quot;x&quot;", `Tom & Jerry – "x"`},
		{"<p>One</p><p>Two<br>Three</p>", " One  Two Three "},
		{`<p>Text<script type="x">alert("<p>")</script> more</p>`, " Text more "},
		{"<STYLE>p{}</STYLE>visible", "visible"},
		{"<em>unterminated <b", "unterminated "},
		{"<!-- comment -->after", "after"},
		{"<a href='x'>link</a>", "link"},
	}
	for _, tt := range tests {
		if got := feedHTMLText(tt.in); got != tt.want {
			t.Errorf("feedHTMLText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A GUID stands in for a missing link only when it is an absolute http(s)
// URL: "item-7" resolved against the feed's URL names a page that does not
// exist, which every sync would then try to fetch.
func TestFeedGUIDIsLinkOnlyWhenAbsolute(t *testing.T) {
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Relative GUID</title><link>javascript:void(0)</link><guid>item-7</guid></item>
<item><title>Permalink GUID</title><guid>https://blog.example/posts/8</guid></item>
</channel></rss>`
	_, entries, err := ParseFeed("https://blog.example/feed.xml", []byte(feed))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].URL != "https://blog.example/posts/8" {
		t.Errorf("entries = %+v, want only the permalink GUID's entry", entries)
	}
}
