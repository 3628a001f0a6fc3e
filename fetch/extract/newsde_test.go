package extract

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// readGzip returns the content of a gzipped test page.
func readGzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("gunzip %s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip %s: %v", path, err)
	}
	return b
}

// newsPage returns the path of a news page of the development set, which
// keeps them by country (testdata/news-de/{at,ch,de}).
func newsPage(t *testing.T, name string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("testdata", "news-de", "*", name))
	if err != nil || len(m) != 1 {
		t.Fatalf("news page %s: found %v, %v", name, m, err)
	}
	return m[0]
}

// newsDE are real German, Austrian and Swiss news pages (from the fundus
// parser test data) with the title their expected extraction gives.
var newsDE = []struct{ file, title string }{
	{"DW_2023_04_28.html.gz", "Ukrainische Gegenoffensive: Ziele, Chancen, Risiken"},        // " | Europa | DW | 28.04.2023"
	{"DW_2024_01_30.html.gz", "Russland-Wahl: Nadeschdin setzt auf ein Ende der Putin-Ära"}, // " – DW – 30.01.2024"
	{"BoersenZeitung_2024_12_16.html.gz", "Wero besteht Praxistest im digitalen Handel"},    // og:title " | Börsen-Zeitung", no og:site_name
	{"Tagesschau_2023_04_28.html.gz", "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen"},
	{"Merkur_2023_04_28.html.gz", "Nostradamus-Vorhersage lässt Zweifel aufkommen: Ist König Charles III. gar nicht der richtige Thronfolger?"},
	{"WDR_2024_04_22.html.gz", "Feuerwehrleute sollen später in Pension"},
	{"NetzpolitikOrg_2024_04_28.html.gz", "Breakpoint: Hilfe, die Fundis kommen!"},
	{"KleineZeitung_2025_06_30.html.gz", "Nur ein Drittel der Kinder kam am Montag in die Schule"},
	{"LTO_2025_10_20.html.gz", "Waffenlieferungen an Israel: Verfassungsbeschwerde eingelegt"},
	{"BSZ_2025_09_09.html.gz", "Ampeln tot, S-Bahnen stoppen: Wie sicher ist Deutschlands Stromnetz?"}, // JSON-LD headline, not the <h1>
	{"NZZ_2024_07_18.html.gz", "Israel und Gaza: News und Entwicklungen im Nahostkonflikt"},
}

// englishWords are the labels a German article must not show.
var englishWords = []string{"URL of this article", "Links in this article", "**Image**", "Image:", "All pages of this article"}

// TestNewsDE checks real German news pages: German labels in the Markdown
// and the print view, the language recorded, and the headline without the
// site's suffix.
func TestNewsDE(t *testing.T) {
	for _, tc := range newsDE {
		t.Run(strings.TrimSuffix(tc.file, ".html.gz"), func(t *testing.T) {
			a, err := Article("", readGzip(t, newsPage(t, tc.file)))
			if err != nil {
				t.Fatalf("Extract = %v", err)
			}
			if a.Lang != "de" {
				t.Errorf("Article().Lang = %q, want de", a.Lang)
			}
			if a.Title != tc.title {
				t.Errorf("Article().Title = %q, want %q", a.Title, tc.title)
			}
			md := markdown.Document(a)
			if !strings.Contains(md, "URL dieses Artikels:") {
				t.Errorf("Markdown lacks \"URL dieses Artikels:\":\n%s", md)
			}
			if len(a.References) > 0 && !strings.Contains(md, "Links in diesem Artikel:") {
				t.Errorf("Markdown lacks \"Links in diesem Artikel:\"")
			}
			if len(a.Figures) > 0 && !strings.Contains(md, "**Bild**") {
				t.Errorf("Markdown has %d figures but no **Bild** label", len(a.Figures))
			}
			pt := markdown.PrintText(a, 80)
			for _, w := range englishWords {
				if strings.Contains(md, w) {
					t.Errorf("Markdown of a German page contains %q", w)
				}
				if strings.Contains(pt, w) {
					t.Errorf("PrintText of a German page contains %q", w)
				}
			}
		})
	}
}

// declaredLang matches what a page says about its language.
var declaredLang = regexp.MustCompile(`(?i)\s(xml:)?lang="[^"]*"|<meta[^>]*(og:locale|content-language)[^>]*>`)

// TestNewsDETextLang checks that a German page that declares no language
// is recognised by its text, and that declaring one decides.
func TestNewsDETextLang(t *testing.T) {
	page := readGzip(t, newsPage(t, "WDR_2024_04_22.html.gz"))
	bare := declaredLang.ReplaceAll(page, nil)
	doc, _, err := parseBounded(bare)
	if err != nil {
		t.Fatal(err)
	}
	if l := newPage("", doc).pageLang(); l != "" {
		t.Fatalf("pageLang of the stripped page = %q, want none declared", l)
	}
	a, err := Article("", bare)
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "de" || !strings.Contains(markdown.Document(a), "URL dieses Artikels:") {
		t.Errorf("undeclared German page: Lang = %q, want de and German labels", a.Lang)
	}
	en := bytes.Replace(bare, []byte("<html"), []byte(`<html lang="en-GB"`), 1)
	if a, err := Article("", en); err != nil || a.Lang != "en" {
		t.Errorf("page declaring lang=en-GB: Lang = %q, %v; want en", a.Lang, err)
	}
}

// TestForeignPageLabels checks that a page in another language keeps the
// English labels.
func TestForeignPageLabels(t *testing.T) {
	a, err := Article("http://fakehost/test/page.html", readGzip(t, filepath.Join("testdata", "readability", "pixnet", "source.html.gz")))
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "zh" {
		t.Errorf("pixnet Lang = %q, want zh", a.Lang)
	}
	if md := markdown.Document(a); !strings.Contains(md, "URL of this article:") || strings.Contains(md, "Bild") {
		t.Errorf("pixnet Markdown: want English labels only")
	}
}

func TestPrimaryLang(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"de", "de"}, {"de-DE", "de"}, {"de_AT", "de"}, {" DE-ch ", "de"}, {"en-GB", "en"},
		{"zh-TW", "zh"}, {"", ""}, {"x", ""}, {"german", ""}, {"d3", ""},
	} {
		if got := primaryLang(tc.in); got != tc.want {
			t.Errorf("primaryLang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
