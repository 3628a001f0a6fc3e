package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// pagesDir holds the article pages fetch's sync tests, cmd's tests and the
// fixture site serve too.
const pagesDir = "../testdata/pages"

// pageFixture is one page in pagesDir with the URL it is extracted as.
type pageFixture struct {
	name, file, url string
}

// pageFixtures are the pages with Markdown goldens. Pages whose file name
// starts with "constructed-" are built by hand after heise-format.md for
// layouts without a real copy.
var pageFixtures = []pageFixture{
	{"heise-2024", "heise-news-9691259-2024.html", "https://www.heise.de/news/Ionos-Phishing-Masche-mit-neuen-EU-Richtlinien-soll-Opfer-ueberzeugen-9691259.html?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag"},
	{"telepolis-seed-2024", "constructed-telepolis-9675153-2024.html", "https://www.telepolis.de/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html?wt_mc=rss.red.tp.tp.atom.beitrag.beitrag"},
	{"telepolis-seed-print", "constructed-telepolis-9675153-print.html", "https://www.telepolis.de/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html?view=print"},
	{"heise-2019-akwa", "constructed-heise-2019-akwa.html", "file:///tmp/archive/heise-2019.html"},
	{"heise-pre-akwa-page1", "constructed-heise-pre-akwa-page1.html", "https://www.heise.de/developer/artikel/Nebenlaeufigkeit-in-Go-verstehen-4400000.html"},
	{"telepolis-pre2021", "constructed-telepolis-pre2021.html", ""},
	{"heise-2015", "constructed-heise-2015.html", ""},
	{"heise-2010", "constructed-heise-2010.html", "http://127.0.0.1:8080/heise-2010.html"},
	{"heise-plus-2024", "constructed-heise-plus-2024.html", ""},
	{"blog-readability", "blog-readability.html", "https://fieldnotes.example.org/2024/02/backups-failed-silently/?utm_source=rss"},
}

func readPage(tb testing.TB, file string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(pagesDir, file))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func extractFixture(tb testing.TB, name string) article.Article {
	tb.Helper()
	for _, f := range pageFixtures {
		if f.name == name {
			a, err := Article(f.url, readPage(tb, f.file))
			if err != nil {
				tb.Fatalf("Article(%s) error: %v", f.file, err)
			}
			return a
		}
	}
	tb.Fatalf("no fixture %q", name)
	return article.Article{}
}

func TestExtractMarkdownGolden(t *testing.T) {
	for _, f := range pageFixtures {
		t.Run(f.name, func(t *testing.T) {
			a, err := Article(f.url, readPage(t, f.file))
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			golden.RequireEqual(t, []byte(markdown.Document(a)))
		})
	}
}

func TestExtractHeise2024(t *testing.T) {
	a := extractFixture(t, "heise-2024")
	checks := []struct {
		name      string
		got, want any
	}{
		{"Rule", a.Rule, "heise"},
		{"ID", a.ID, "9691259"},
		{"CanonicalURL", a.CanonicalURL, "https://www.heise.de/-9691259"},
		{"URL", a.URL, "https://www.heise.de/news/Ionos-Phishing-Masche-mit-neuen-EU-Richtlinien-soll-Opfer-ueberzeugen-9691259.html"},
		{"Site", a.Site, "heise online"},
		{"Title", a.Title, "Ionos-Phishing: Masche mit neuen EU-Richtlinien soll Opfer überzeugen"},
		{"Lead", a.Lead, "Das Phishingradar warnt vor einer Phishing-Masche, bei der Ionos-Kunden angeblich zu neuen EU-Richtlinien zustimmen müssen."},
		{"Authors", strings.Join(a.Authors, ";"), "Dirk Knop"},
		{"Published", a.Published.UTC().Format(time.RFC3339), "2024-04-19T11:37:00Z"},
		{"ReadingTime", a.ReadingTime, "2 Min."},
		{"Paywalled", a.Paywalled, false},
		{"AllPagesURL", a.AllPagesURL, ""},
		{"Notice", a.Notice, ""},
		{"Hero.Caption", a.Hero.Caption, "Online-Kriminelle phishen nach monetarisierbaren Informationen."},
		{"Hero.Credit", a.Hero.Credit, "Bild erstellt mit KI in Bing Designer durch heise online / dmk"},
		{"Hero.Alt", a.Hero.Alt, "Krimineller angelt Kreditkartendaten"},
		{"Hero.Ref", a.Hero.Ref, 3},
		{"len(Figures)", len(a.Figures), 1},
		{"Figures[0].Caption", a.Figures[0].Caption, "Die Phishing-Nachrichten sind recht ordentlich aufgemacht und können dadurch überzeugend wirken."},
		{"Figures[0].Credit", a.Figures[0].Credit, "Verbraucherzentrale.de / Phishingradar"},
		{"Figures[0].Ref", a.Figures[0].Ref, 4},
		{"len(References)", len(a.References), 4},
		{"References[0].URL", a.References[0].URL, "https://www.heise.de/thema/Phishing"},
		{"References[1].Text", a.References[1].Text, "Phishingradar der Verbraucherzentrale warnt"},
		{"References[2].Image", a.References[2].Image, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	md := markdown.Document(a)
	for _, noise := range []string{"Anzeige", "Lesen Sie auch", "Europol nimmt", "Newsletter", "Zur Startseite", "Beitrag kommentieren", "(dmk)", "dmk@heise.de", "data:image", "performance.mark"} {
		if strings.Contains(md, noise) {
			t.Errorf("Markdown contains noise %q", noise)
		}
	}
	for _, want := range []string{"Phishing [1]-Masche", "Verbraucherzentrale warnt [2],", "## Phishing-Masche", "**Bild** [4]: *Die Phishing-Nachrichten", "\\<persönliche E-Mail-Adresse>"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if slices.ContainsFunc(a.References, func(r article.Reference) bool { return strings.HasPrefix(r.URL, "data:") }) {
		t.Error("a data: URL became a reference")
	}
}

// Readability's excerpt is often the first paragraph. It is the lead only
// when the body does not start with it, also when the body opens with a
// subheading or the paragraph's first words are a link.
func TestReadabilityLeadNotRepeated(t *testing.T) {
	filler := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 12)
	for name, first := range map[string]string{
		"heading first": `<h2>Intro</h2><p>The first paragraph of this post explains what happened and why. ` + filler + `</p>`,
		"link early":    `<p>The <a href="/docs">first paragraph</a> of this post explains what happened and why. ` + filler + `</p>`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<html><head><title>A post | Blog</title></head><body><nav>Home</nav><article><h1>A post</h1>` + first +
				`<p>Second paragraph. ` + filler + `</p></article></body></html>`
			a, err := Article("https://blog.example/post", []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			md := markdown.Document(a)
			if n := strings.Count(md, "of this post explains what happened"); n != 1 {
				t.Errorf("the first paragraph appears %d times (lead %q):\n%s", n, a.Lead, md)
			}
		})
	}
}
