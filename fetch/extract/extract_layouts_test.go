package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// check compares one field of an extracted article.
type check struct {
	name      string
	got, want any
}

func runChecks(t *testing.T, checks []check) {
	t.Helper()
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func requireContains(t *testing.T, md string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(md, w) {
			t.Errorf("Markdown lacks %q", w)
		}
	}
}

func requireAbsent(t *testing.T, md string, noise ...string) {
	t.Helper()
	for _, n := range noise {
		if strings.Contains(md, n) {
			t.Errorf("Markdown contains %q", n)
		}
	}
}

// seedRefs are the references of the Telepolis print view in the seed.
var seedRefs = []string{
	"https://ria.ru/20240403/peregovory-1937718100.html",
	"https://unherd.com/2024/04/its-time-to-send-nato-troops-to-ukraine/",
	"https://www.telepolis.de/features/Der-letzte-Versuch-der-Europaeer-den-Sieg-fuer-die-Ukraine-zu-erringen-9644037.html?seite=all",
}

// seedNoise is what the seed fixture in the 2024 layout carries around the
// article and what must not reach the document.
var seedNoise = []string{
	"Anzeige", "Lesen Sie auch", "Der letzte Versuch der Europäer, den Sieg", "Panzer im Schnee",
	"Newsletter", "Jetzt anmelden", "Postfach", "Zur Startseite", "Beitrag kommentieren", "Kommentar lesen",
	"Ein anderer Artikel", "Teasertext", "Klimapolitik", "Strompreise", "Copyright", "Impressum", "Datenschutz",
	"performance.mark", "dataLayer", "Schwachstellen", "(tiw)", "tiw@", "data:", "In Pocket speichern",
	"Druckansicht", "Politik", "zurück zum Artikel", "Lesezeit",
}

// plainMarkdown strips the Markdown syntax kiosk writes (escapes, emphasis,
// autolink brackets, heading and quote markers), for comparing with the
// print view's text.
func plainMarkdown(md string) string {
	var lines []string
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimPrefix(l, "# ")
		l = strings.TrimPrefix(l, "## ")
		l = strings.TrimPrefix(l, "> ")
		lines = append(lines, l)
	}
	md = strings.Join(lines, "\n")
	return strings.NewReplacer("\\", "", "*", "", "<https", "https", ">\n", "\n").Replace(md)
}

// requireSeed checks that a document carries every element of the seed
// print view: each line of its text, the caption and credit, the article
// URL and the references exactly as the print view lists them.
func requireSeed(t *testing.T, a article.Article) {
	t.Helper()
	seed := string(readPage(t, "seed-print-view.txt"))
	md := markdown.Document(a)
	plain := plainMarkdown(md)
	lines := strings.Split(seed, "\n")
	for i, l := range lines {
		l = article.CleanLine(l) // the seed has NBSP after "[n]"
		switch {
		case l == "" || l == "zurück zum Artikel":
			continue
		case strings.Contains(l, ". Bild: "): // "<caption>. Bild: <credit>"
			caption, credit, _ := strings.Cut(l, ". Bild: ")
			requireContains(t, plain, caption, "(Bild: "+credit+")")
		case l == "URL dieses Artikels:":
			requireContains(t, plain, "URL dieses Artikels: "+strings.TrimSpace(lines[i+1]))
		case strings.HasPrefix(l, "https://www.heise.de/-"):
			continue // checked with its label
		default:
			requireContains(t, plain, l)
		}
	}
	var got []string
	for _, r := range a.References {
		if !r.Image {
			got = append(got, r.URL)
		}
	}
	if !reflect.DeepEqual(got, seedRefs) {
		t.Errorf("body references = %q, want %q", got, seedRefs)
	}
}

func TestExtractSeed2024(t *testing.T) {
	a := extractFixture(t, "telepolis-seed-2024")
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"Site", a.Site, "Telepolis"},
		{"ID", a.ID, "9675153"},
		{"CanonicalURL", a.CanonicalURL, "https://www.heise.de/-9675153"},
		{"URL", a.URL, "https://www.telepolis.de/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html"},
		{"Title", a.Title, "Schoigu-Anruf: Russland warnt Frankreich, Truppen in Ukraine zu schicken"},
		{"Authors", a.Authors, []string{"Tim Werner"}},
		{"Published", a.Published.UTC(), time.Date(2024, 4, 3, 13, 2, 0, 0, time.UTC)},
		{"ReadingTime", a.ReadingTime, "3 Min."},
		{"Paywalled", a.Paywalled, false},
		{"Hero.Credit", a.Hero.Credit, "Hadrian / Shutterstock.com"},
		{"Hero.Caption", a.Hero.Caption, "In Paris sieht jemand die Fernsehübertragung, bei der Sergei Schoigu der Rede vom russischen Präsident Wladimir Putin am 21. Februar 2023 zuhört"},
		{"Hero.Image", a.Hero.Image, "https://www.telepolis.de/imgs/18/4/6/1/1/6/7/5/shutterstock_2267094497-5ab0c1bdbe3f3b34.jpg"},
		{"Hero.Ref", a.Hero.Ref, 4},
		{"References[0].URL", a.References[0].URL, "https://ria.ru/20240403/peregovory-1937718100.html"},
		{"References[0].Text", a.References[0].Text, "verbreitet"},
		{"len(References)", len(a.References), 4},
		{"len(Figures)", len(a.Figures), 0},
	})
	requireSeed(t, a)
	md := markdown.Document(a)
	requireAbsent(t, md, seedNoise...)
	requireContains(t, md,
		"verbreitet [1].", "Edward Luttwak [2],", "die davor warnen [3].",
		"> Die Arithmetik ist unausweichlich:", // the quote is a real quote
		"## Moskauer Anschlag und Ukraine-Krise",
		"**Bild** [4]: *In Paris sieht",
	)
}

// TestExtractSeedWithoutMeldungMarkup removes the #meldung id and the header
// classes from the seed page: the rule must still find the article as the
// first <article> in <main> by the page's metadata, and write the same document.
func TestExtractSeedWithoutMeldungMarkup(t *testing.T) {
	want := markdown.Document(extractFixture(t, "telepolis-seed-2024"))
	page := string(readPage(t, "constructed-telepolis-9675153-2024.html"))
	page = strings.NewReplacer(`id="meldung"`, `id="artikel"`, `class="a-article-header"`, `class="kopf"`,
		`class="a-article-header__title"`, `class="titel"`).Replace(page)
	a, err := Article("https://www.telepolis.de/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.Rule != "heise" {
		t.Fatalf("Rule = %q, want heise", a.Rule)
	}
	if got := markdown.Document(a); got != want {
		t.Errorf("Markdown differs from the #meldung page:\n%s", got)
	}
}

func TestExtractSeedPrintView(t *testing.T) {
	a := extractFixture(t, "telepolis-seed-print")
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"Site", a.Site, "Telepolis"},
		{"ID", a.ID, "9675153"},
		{"CanonicalURL", a.CanonicalURL, "https://www.heise.de/-9675153"},
		{"Title", a.Title, "Schoigu-Anruf: Russland warnt Frankreich, Truppen in Ukraine zu schicken"},
		{"Lead", a.Lead, "Russischer Verteidigungsminister droht Paris mit Reaktion. Aber signalisiert auch Verhandlungsbereitschaft. US-Militärstratege fordert hingegen Nato-Truppen."},
		{"Hero.Credit", a.Hero.Credit, "Hadrian / Shutterstock.com"},
		{"References[2].Text", a.References[2].Text, "die davor warnen"},
	})
	requireSeed(t, a)
	md := markdown.Document(a)
	requireAbsent(t, md, "zurück zum Artikel", "Copyright", "Anzeige", "externer Inhalte", "**verbreitet", "[1]**", "\n---\n")
	if n := strings.Count(md, "[1]"); n != 2 {
		t.Errorf("[1] occurs %d times, want 2 (body and list)", n)
	}
}

func TestExtractHeise2019(t *testing.T) {
	a := extractFixture(t, "heise-2019-akwa")
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"Site", a.Site, "heise online"},
		{"ID", a.ID, "4450000"},
		{"URL", a.URL, "file:///tmp/archive/heise-2019.html"},
		{"Title", a.Title, "Bundesnetzagentur: Frequenzauktion für 5G endet nach 497 Runden"},
		{"Published", a.Published.UTC(), time.Date(2019, 6, 20, 5, 30, 0, 0, time.UTC)},
		{"Authors", a.Authors, []string{"Anna Beispiel", "Bernd Muster"}},
		{"Hero.Caption", a.Hero.Caption, ""},
		{"Hero.Credit", a.Hero.Credit, "dpa, Beispiel Fotograf"},
		{"Hero.Image", a.Hero.Image, "https://www.heise.de/imgs/18/2/7/0/0/0/0/1/5g-antenne-3f2a1b0c9d8e7f60.jpeg"},
		{"Figures[0].Caption", a.Figures[0].Caption, "Der Auktionssaal der Bundesnetzagentur in Mainz"},
		{"Figures[0].Credit", a.Figures[0].Credit, "Bundesnetzagentur"},
		{"len(References)", len(a.References), 4},
	})
	md := markdown.Document(a)
	requireAbsent(t, md, "heise online >", "Netze", "c't 14/2019", "heise shop", "Anzeige", "(anw)", "Anderes Thema", "Impressum", "window.akwa")
	requireContains(t, md,
		"# Bundesnetzagentur: Frequenzauktion für 5G endet nach 497 Runden\n",
		"Die 5G-Frequenzauktion [1] der Bundesnetzagentur [2]", "Themenschwerpunkt 5G [1]", // a repeated URL keeps its number
		"unter presse@bnetza.example.", "im Abschnitt oben.", // mailto and anchors keep their text only
		"Telefónica und 1&1 Drillisch", "- Vodafone: 12 Blöcke",
		"**\\[Update\\]**",
		"**Bild** [4]: *Der Auktionssaal der Bundesnetzagentur in Mainz* (Bild: Bundesnetzagentur)",
	)
}

func TestExtractPreAkwaMultiPage(t *testing.T) {
	a := extractFixture(t, "heise-pre-akwa-page1")
	runChecks(t, []check{
		{"ID", a.ID, "4400000"},
		{"Title", a.Title, "Nebenläufigkeit in Go verstehen"},
		{"Kicker", a.Kicker, "Know-how"},
		{"Authors", a.Authors, []string{"Carla Codierer", "David Debugger"}},
		{"Published", a.Published.UTC(), time.Date(2019, 5, 14, 8, 0, 0, 0, time.UTC)},
		{"AllPagesURL", a.AllPagesURL, "https://www.heise.de/developer/artikel/Nebenlaeufigkeit-in-Go-verstehen-4400000.html?seite=all"},
		{"Hero.Credit", a.Hero.Credit, "Renée French, CC BY 3.0"},
		{"Site", a.Site, "heise online"},
	})
	md := markdown.Document(a)
	requireAbsent(t, md, "Auf einer Seite lesen", "Nächste", "Select und Timeouts", "Fazit")
	requireContains(t, md,
		"```\nfunc main() {\n    go say(\"world\")\n    say(\"hello\")\n}\n```",
		"mit dem Schlüsselwort `go` vor", "\\*Sternchen\\*, \\_Unterstriche\\_ oder \\<b>",
		"## Ein erstes Beispiel", "### Goroutinen in Zahlen", "- Startgröße des Stacks: 2 KByte",
		"| Eigenschaft | Goroutine | OS-Thread |\n| --- | --- | --- |\n| Stack | 2 KByte, wächst | 1–8 MByte, fest |",
		"1. Erst messen,\n2. dann optimieren.",
		"Alle Seiten dieses Artikels: <https://www.heise.de/developer/artikel/Nebenlaeufigkeit-in-Go-verstehen-4400000.html?seite=all>",
	)
}

func TestExtractAllPagesURLFromNextLink(t *testing.T) {
	page := `<html><head><title>Teil 1 | heise online</title>
<link rel="canonical" href="https://www.heise.de/hintergrund/Lange-Geschichte-9000001.html">
<link rel="next" href="https://www.heise.de/hintergrund/Lange-Geschichte-9000001.html?seite=2"></head>
<body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Lange Geschichte</h1></header>
<div class="article-content"><p>Erste Seite.</p></div></article></body></html>`
	a, err := Article("https://www.heise.de/hintergrund/Lange-Geschichte-9000001.html?wt_mc=x", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://www.heise.de/hintergrund/Lange-Geschichte-9000001.html?seite=all"; a.AllPagesURL != want {
		t.Errorf("AllPagesURL = %q, want %q", a.AllPagesURL, want)
	}
	a, err = Article("https://www.heise.de/hintergrund/Lange-Geschichte-9000001.html?seite=all", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.AllPagesURL != "" {
		t.Errorf("AllPagesURL on the all-pages view = %q, want empty", a.AllPagesURL)
	}
}

func TestExtractTelepolisPre2021(t *testing.T) {
	a := extractFixture(t, "telepolis-pre2021")
	runChecks(t, []check{
		{"Site", a.Site, "Telepolis"},
		{"ID", a.ID, "3405174"},
		{"URL", a.URL, "https://www.heise.de/tp/features/Die-Stadt-als-Datenspeicher-3405174.html"},
		{"Notice", a.Notice, "Der folgende Beitrag ist vor 2021 erschienen. Unsere Redaktion hat seither ein neues Leitbild und redaktionelle Standards. Weitere Informationen finden Sie hier."},
		{"Lead", a.Lead, "Sensoren an jeder Ecke: Was Smart Cities über ihre Bewohner wissen."},
		{"Published", a.Published.UTC(), time.Date(2016, 1, 12, 8, 0, 0, 0, time.UTC)},
		{"len(References)", len(a.References), 1},
	})
	if strings.Contains(a.Body, "Leitbild") {
		t.Error("the banner is still in the body")
	}
	requireContains(t, markdown.Document(a), "1\\. Januar: Ab dann", "*Der folgende Beitrag")
	requireAbsent(t, markdown.Document(a), "Druckversion")
}

func TestExtractHeise2015And2010(t *testing.T) {
	a := extractFixture(t, "heise-2015")
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"ID", a.ID, "2596987"},
		{"CanonicalURL", a.CanonicalURL, "https://www.heise.de/-2596987"},
		{"Title", a.Title, "Neue Grafikkarten: Hersteller zeigt zwei Modelle"},
		{"Lead", a.Lead, "Zwei neue Grafikkarten für Spieler sollen ab Mai im Handel sein."},
		{"Published", a.Published.UTC(), time.Date(2015, 4, 8, 10, 46, 0, 0, time.UTC)},
		{"Authors", a.Authors, []string{"Gerd Grafiker"}},
		{"Hero.Image", a.Hero.Image, "https://3.f.ix.de/scale/geometry/600/q75/imgs/18/1/4/5/6/7/8/9/grafikkarte-1a2b3c4d5e6f7a8b.jpeg"},
		{"Hero.Caption", a.Hero.Caption, "Die größere der beiden Karten"},
		{"Hero.Credit", a.Hero.Credit, "Hersteller"},
	})
	requireAbsent(t, markdown.Document(a), "Permalink", "Version zum Drucken", "(gra)", "Andere Meldung")

	a = extractFixture(t, "heise-2010")
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"ID", a.ID, "1130000"},
		{"Title", a.Title, "Browser-Update schließt Lücken"},
		{"Published", a.Published.UTC(), time.Date(2010, 11, 3, 15, 5, 0, 0, time.UTC)},
		{"Authors", a.Authors, []string{"Jürgen Kuri"}},
		{"Body", a.Body, "Der Hersteller empfiehlt das Update allen Anwendern.\n\nDetails stehen in den Release Notes [1].\\\nDie Aktualisierung erfolgt automatisch."},
	})
}

func TestExtractHeisePlus(t *testing.T) {
	a := extractFixture(t, "heise-plus-2024")
	runChecks(t, []check{
		{"Paywalled", a.Paywalled, true},
		{"Site", a.Site, "heise online"},
		{"Authors", a.Authors, []string{"Nina Netzwerk"}},
		{"Body", a.Body, "Ein NAS speichert Fotos, Videos und Backups zentral im Heimnetz.\n\nWer nur Backups sichern will, kommt mit zwei Festplattenschächten aus."},
	})
	requireContains(t, markdown.Document(a), "\n\n*Hinweis: Dies ist nur der frei lesbare Teil")
	requireAbsent(t, markdown.Document(a), "abonnieren", "Weiterlesen")
	for _, page := range []string{
		`<meta property="article:content_tier" content="free"><script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":"False"}</script>`,
		`<meta property="article:content_tier" content="free"><body><article id="meldung"><div class="article-content"><p>x</p><a-paid-content-teaser>Jetzt kaufen</a-paid-content-teaser>`,
	} {
		page = `<html><head><meta name="DC.identifier" content="https://heise.de/-9000002">` + page +
			`<body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">T</h1></header><div class="article-content"><p>Frei.</p><a-paid-content-teaser>Jetzt kaufen</a-paid-content-teaser></div></article>`
		a, err := Article("", []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		if !a.Paywalled || strings.Contains(a.Body, "kaufen") {
			t.Errorf("Paywalled = %v, Body = %q; want true without the teaser", a.Paywalled, a.Body)
		}
	}
	a = extractFixture(t, "heise-2024")
	if a.Paywalled {
		t.Error("the free 2024 page is marked paywalled")
	}
}

func TestExtractReadabilityFallback(t *testing.T) {
	a := extractFixture(t, "blog-readability")
	var urls []string
	for _, r := range a.References {
		urls = append(urls, r.URL)
	}
	runChecks(t, []check{
		{"Rule", a.Rule, "readability"},
		{"Site", a.Site, "Field Notes"},
		{"Title", a.Title, "Why my backups failed silently for a year"},
		{"URL", a.URL, "https://fieldnotes.example.org/2024/02/backups-failed-silently/"},
		{"CanonicalURL", a.CanonicalURL, "https://fieldnotes.example.org/2024/02/backups-failed-silently/"},
		{"Authors", a.Authors, []string{"Sam Ortega"}},
		{"Published", a.Published.UTC(), time.Date(2024, 2, 11, 9, 15, 0, 0, time.UTC)},
		{"Lead", a.Lead, "A cron job, a full disk and no alerting: how I lost a year of backups without noticing."},
		// The page's own figure after the first paragraph is the lead
		// picture, with its caption and credit, not the og:image card.
		{"Hero", a.Hero, &article.Figure{
			Image:   "https://fieldnotes.example.org/media/disk-full.png",
			Alt:     "Terminal showing df output with the backup disk at 100%",
			Caption: "The backup disk had been full since March.",
			Credit:  "Screenshot: Sam Ortega",
			Ref:     4,
		}},
		{"Figures", a.Figures, []article.Figure(nil)},
		{"reference URLs", urls, []string{
			"https://rsync.samba.org/documentation.html",
			"https://healthchecks.io/docs/",
			"https://fieldnotes.example.org/2023/11/monitoring-at-home/",
			"https://fieldnotes.example.org/media/disk-full.png",
		}},
	})
	md := markdown.Document(a)
	requireAbsent(t, md, "Archive", "About me", "Recent posts", "ZFS snapshots", "3 comments", "Same thing happened",
		"Subscribe", "Privacy", "Post comment", "analytics", "querySelectorAll", "Share", "Tagged")
	requireContains(t, md,
		"The rsync documentation [1] is clear", "the rsync documentation [1] lists", "See the fix below, or mail me if",
		"> A backup you have not restored is not a backup.", "1. the exit code of `rsync` must be 0,",
		"```\n#!/bin/sh\nset -eu\n", "| Check | Catches |", "*no news* must count as **bad news**.",
		"## What went wrong",
	)
}

func TestBerlinTime(t *testing.T) {
	loc := berlin()
	if loc == nil {
		t.Log("no tzdata: only the fixed-rule fallback is checked")
	}
	cases := []struct {
		local string
		utc   time.Time
	}{
		{"2019-06-20T07:30:00", time.Date(2019, 6, 20, 5, 30, 0, 0, time.UTC)},   // summer: CEST
		{"2015-01-08T12:46:00", time.Date(2015, 1, 8, 11, 46, 0, 0, time.UTC)},   // winter: CET
		{"2024-03-31T01:59:00", time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC)},   // just before the switch
		{"2024-03-31T03:00:00", time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC)},    // just after it
		{"2024-10-27T01:30:00", time.Date(2024, 10, 26, 23, 30, 0, 0, time.UTC)}, // before the switch back
		{"2024-10-27T03:30:00", time.Date(2024, 10, 27, 2, 30, 0, 0, time.UTC)},  // after it
		{"2024-12-31T23:00:00", time.Date(2024, 12, 31, 22, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		wall, err := time.Parse("2006-01-02T15:04:05", c.local)
		if err != nil {
			t.Fatal(err)
		}
		if got := inBerlin(wall, nil).UTC(); !got.Equal(c.utc) {
			t.Errorf("inBerlin(%s, no tzdata) = %v, want %v", c.local, got, c.utc)
		}
		if loc != nil {
			if got := inBerlin(wall, loc).UTC(); !got.Equal(c.utc) {
				t.Errorf("inBerlin(%s, Europe/Berlin) = %v, want %v", c.local, got, c.utc)
			}
		}
		if got := parseTime(c.local).UTC(); !got.Equal(c.utc) {
			t.Errorf("parseTime(%s) = %v, want %v", c.local, got, c.utc)
		}
	}
	for in, want := range map[string]time.Time{
		"2024-04-19T13:37:00+02:00": time.Date(2024, 4, 19, 11, 37, 0, 0, time.UTC),
		"08.04.2015 12:46":          time.Date(2015, 4, 8, 10, 46, 0, 0, time.UTC),
		"13:37 Uhr":                 {},
		"":                          {},
	} {
		if got := parseTime(in).UTC(); !got.Equal(want) && !(want.IsZero() && parseTime(in).IsZero()) {
			t.Errorf("parseTime(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestExtractHeiseEmbedsAndBoxes(t *testing.T) {
	page := `<html><head><meta name="DC.identifier" content="https://heise.de/-9000003"><title>Interview | heise online</title></head>
<body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Interview</h1></header>
<div class="article-content">
<p class="frage rte__abs--frage">Was ist neu?</p><p class="antwort rte__abs--antwort">Alles.</p>
<embetty-video type="youtube" video-id="dQw4w9WgXcQ"></embetty-video>
<embetty-tweet status="1234567890"></embetty-tweet>
<embetty-video type="youtube"></embetty-video>
<div class="heisebox"><h4>Info</h4><p>Kasten-Text.</p></div>
<a-opt-in type="Mastodon"><p>Empfohlener redaktioneller Inhalt. Mit Ihrer Zustimmung wird hier ein externer Inhalt geladen.</p></a-opt-in>
</div></article></body></html>`
	a, err := Article("", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := "**Was ist neu?**\n\nAlles.\n\nVideo (YouTube) [1]\n\nTweet [2]\n\n> ### Info\n>\n> Kasten-Text."
	if a.Body != want {
		t.Errorf("Body =\n%s\nwant\n%s", a.Body, want)
	}
	runChecks(t, []check{
		{"References[0].URL", a.References[0].URL, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
		{"References[1].URL", a.References[1].URL, "https://twitter.com/i/status/1234567890"},
	})
}

func TestShortCodeResidue(t *testing.T) {
	for in, want := range map[string]string{
		"Text. ()":           "Text.",
		"Text.\n\n()":        "Text.",
		"Text (mit Klammer)": "Text (mit Klammer)",
		"()":                 "",
		"Text.":              "Text.",
	} {
		if got := trimShortCodeResidue(in); got != want {
			t.Errorf("trimShortCodeResidue(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPrintViewVariants feeds print views in markup variants the inferred
// format allows: markers in <sup> or inside the old links, and the link
// list as an ordered list after a heading.
func TestPrintViewVariants(t *testing.T) {
	head := `<html><head><title>Druckversion - Variante | heise online</title></head><body><article class="printversion"><header><h1>Variante</h1></header>`
	tests := []struct {
		name, body string
	}{
		{"sup markers, list in small tags", `<p>Erst eins<sup>[1]</sup>, dann zwei <sup>[2]</sup>.</p>
<p><strong>URL dieses Artikels:</strong><br><small>https://www.heise.de/-9000004</small></p>
<p><strong>Links in diesem Artikel:</strong><br><small>[1] https://eins.example/</small><br><small>[2] https://zwei.example/</small></p>`},
		{"markers inside links, ordered list after a heading", `<p>Erst <a href="https://eins.example/">eins [1]</a>, dann <a href="https://zwei.example/">zwei [2]</a>.</p>
<p><strong>URL dieses Artikels:</strong> https://www.heise.de/-9000004</p>
<h3>Links in diesem Artikel:</h3><ol><li>https://eins.example/</li><li>https://zwei.example/</li></ol>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Article("", []byte(head+tt.body+`</article></body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			var urls []string
			for _, r := range a.References {
				urls = append(urls, r.URL)
			}
			runChecks(t, []check{
				{"ID", a.ID, "9000004"},
				{"references", urls, []string{"https://eins.example/", "https://zwei.example/"}},
			})
			if strings.Count(a.Body, "[1]") != 1 || strings.Count(a.Body, "[2]") != 1 || strings.Contains(a.Body, "Links in diesem") || strings.Contains(a.Body, "http") {
				t.Errorf("Body = %q", a.Body)
			}
		})
	}
}

func TestExtractLatin1Page(t *testing.T) {
	page := []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>heise online - Br\xfccke</title></head>" +
		"<body><article><h1>Gr\xfc\xdfe aus K\xf6ln</h1><div class=\"meldung_wrapper\"><p>Stra\xdfe und Br\xfccke \x96 alles neu.</p>" +
		"<p class=\"news_option\"><a href=\"http://heise.de/-1130001\">Permalink</a></p></div></article></body></html>")
	a, err := Article("", page)
	if err != nil {
		t.Fatal(err)
	}
	runChecks(t, []check{
		{"Rule", a.Rule, "heise"},
		{"Title", a.Title, "Grüße aus Köln"},
		{"Body", a.Body, "Straße und Brücke – alles neu."},
	})
	// Valid UTF-8 stays as it is, whatever the page declares.
	a, err = Article("", []byte(`<html><head><meta charset="iso-8859-1"><title>heise online - T</title></head><body><article><h1>Grüße</h1><div class="meldung_wrapper"><p>Brücke.</p></div></article></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Grüße" || a.Body != "Brücke." {
		t.Errorf("UTF-8 page declared as Latin-1: Title %q, Body %q", a.Title, a.Body)
	}
}
