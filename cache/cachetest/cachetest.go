// Package cachetest fills kiosk caches with generated German-language
// entries and articles for tests and benchmarks, the way a sync would: in
// batches through SaveFeed and SaveArticles.
package cachetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// Feeds the generated entries belong to.
const (
	HeiseFeed     = "https://www.heise.de/rss/heise-atom.xml"
	TelepolisFeed = "https://www.telepolis.de/news-atom.xml"
)

// Words placed in known shares of the generated articles, for search
// benchmarks and tests.
const (
	// RareWord is in the body of every 100th article (i % 100 == 0).
	RareWord = "Quantencomputer"
	// CommonWord is in the body of 9 of 10 articles (i % 10 != 0).
	CommonWord = "Regierung"
	// BodyWord is in the body of every 7th article and in no title,
	// summary or lead.
	BodyWord = "Wärmeleitpaste"
)

// Base is the published time of entry 0 (and the fetch time of every
// batch); entry i is i×7 minutes older.
func Base() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// version changes whenever the generated content or the stored form
// changes without a schema version, so cached benchmark files are rebuilt.
const version = 4 // 4: new caches have 8 KiB pages

// BatchSize is how many entries Fill stores per SaveFeed/SaveArticles pair.
const BatchSize = 1000

// ID is the stable ID of generated entry i (heise-like numeric IDs).
func ID(i int) string { return strconv.Itoa(9_000_000 + i) }

// Entry returns generated entry i and its article, the same for the same i.
// About 70 % belong to heise online, the rest to Telepolis; every 33rd is in
// both feeds (Entry.Feed is then heise). Every 50th has no published time.
func Entry(i int) (fetch.Entry, *fetch.Article) {
	r := rand.New(rand.NewPCG(uint64(i), 0x6b696f73))
	v := newVocab()
	id := ID(i)
	feed := HeiseFeed
	if i%10 >= 7 {
		feed = TelepolisFeed
	}
	pub := Base().Add(-time.Duration(i) * 7 * time.Minute)
	title := v.sentence(r, 5+r.IntN(5), false)
	slug := strings.ReplaceAll(strings.TrimSuffix(title, "."), " ", "-")
	e := fetch.Entry{
		ID: id, Feed: feed, GUID: "http://heise.de/-" + id,
		URL:       "https://www.heise.de/news/" + slug + "-" + id + ".html",
		Title:     strings.TrimSuffix(title, "."),
		Summary:   v.sentence(r, 20, false) + " " + v.sentence(r, 12, false),
		Author:    v.authors[r.IntN(len(v.authors))],
		Published: pub, Updated: pub,
		Image:     "https://heise.cloudimg.io/bild/" + id + ".jpg",
		Paywalled: i%9 == 0,
	}
	if i%50 == 49 {
		e.Published, e.Updated = time.Time{}, time.Time{}
	}
	a := &fetch.Article{
		ID: id, URL: e.URL, CanonicalURL: "https://www.heise.de/-" + id, Site: "heise online",
		Title: e.Title, Kicker: v.sentence(r, 2, false), Lead: v.sentence(r, 25, false),
		Authors: []string{e.Author}, Published: pub, Modified: pub, ReadingTime: "4 Min.",
		Hero:      &fetch.Figure{Image: e.Image, Caption: v.sentence(r, 8, false), Credit: "heise online", Ref: 4},
		Paywalled: e.Paywalled, Rule: "heise",
	}
	a.Body = v.body(r, i)
	a.References = []fetch.Reference{
		{N: 1, URL: "https://example.org/quelle-" + id, Text: "Quelle"},
		{N: 2, URL: "https://www.heise.de/-" + strconv.Itoa(9_000_000+i+1), Text: "Vorgänger"},
		{N: 3, URL: "https://www.bundestag.de/", Text: "Bundestag"},
		{N: 4, URL: e.Image, Image: true},
	}
	return e, a
}

// body is about 5 KB of Markdown: paragraphs, subheadings, links as [n].
func (v vocab) body(r *rand.Rand, i int) string {
	var b strings.Builder
	b.Grow(5300)
	para := 0
	for b.Len() < 5000 {
		if para > 0 && para%3 == 0 {
			b.WriteString("## " + strings.TrimSuffix(v.sentence(r, 3, false), ".") + "\n\n")
		}
		for s := 0; s < 4; s++ {
			n := 8 + r.IntN(10)
			b.WriteString(v.sentence(r, n, s == 1))
			b.WriteByte(' ')
		}
		switch para {
		case 0:
			if i%100 == 0 {
				b.WriteString("Ein " + RareWord + " rechnet mit Qubits. ")
			}
			if i%10 != 0 {
				b.WriteString("Die " + CommonWord + " hat entschieden. ")
			}
		case 2:
			if i%7 == 0 {
				b.WriteString("Die " + BodyWord + " trocknet aus. ")
			}
		}
		b.WriteString("\n\n")
		para++
	}
	return b.String()
}

// sentence makes n words; with link, one word gets a reference marker.
func (v vocab) sentence(r *rand.Rand, n int, link bool) string {
	words := make([]string, n)
	for k := range words {
		words[k] = v.word(r)
	}
	first, size := utf8.DecodeRuneInString(words[0])
	words[0] = string(unicode.ToUpper(first)) + words[0][size:]
	if link {
		k := r.IntN(n)
		words[k] += " [" + strconv.Itoa(1+r.IntN(3)) + "]"
	}
	return strings.Join(words, " ") + "."
}

// word picks a frequent word, a noun, or a made-up compound (German's
// open vocabulary), roughly like news text.
func (v vocab) word(r *rand.Rand) string {
	switch p := r.IntN(100); {
	case p < 45:
		return v.common[r.IntN(len(v.common))]
	case p < 85:
		return v.nouns[r.IntN(len(v.nouns))]
	default:
		return v.nouns[r.IntN(len(v.nouns))] + strings.ToLower(v.nouns[r.IntN(len(v.nouns))])
	}
}

// vocab is the generator's word lists.
type vocab struct{ authors, common, nouns []string }

func newVocab() vocab {
	return vocab{
		authors: []string{"Jürgen Schmidt", "Andreas Wilkens", "Daniel AJ Sokolov", "Martin Holland", "Stefan Krempl", "Gößmann Müller"},
		common: strings.Fields(`der die das und ist nicht mit für auf dem den ein eine einer sich auch als von zu im
		bei nach wie aber über noch mehr werden wurde hat haben soll kann muss müssen schon heute jetzt sehr
		dass oder wenn weil während gegen ohne unter zwischen bereits etwa rund künftig größer schnell neue
		ersten letzten großen kleinen öffentlichen digitalen deutschen europäischen genügend außerdem laut`),
		nouns: strings.Fields(`Bundesregierung Datenschutz Sicherheitslücke Netzwerk Software Hardware Prozessor
		Grafikkarte Speicher Festplatte Betriebssystem Update Browser Smartphone Tablet Notebook Server
		Rechenzentrum Cloud Verschlüsselung Passwort Angriff Hacker Behörde Gericht Urteil Gesetz Richtlinie
		Kommission Parlament Ministerium Verbraucher Nutzer Hersteller Unternehmen Konzern Markt Umsatz Gewinn
		Strompreis Energie Solaranlage Windkraft Batterie Elektroauto Ladesäule Straße Verkehr Bahn Zug
		Flughafen Drohne Satellit Rakete Forschung Studie Universität Wissenschaftler Künstliche Intelligenz
		Sprachmodell Algorithmus Plattform Dienst Abonnement Werbung Überwachung Polizei Geheimdienst
		Bundestag Abgeordnete Wahl Demokratie Öffentlichkeit Medien Fernsehen Übertragung Rundfunk Zeitung
		Presse Meinung Freiheit Grundrecht Verfassung Gesellschaft Wirtschaft Arbeit Fachkräfte Schule
		Bildung Digitalisierung Verwaltung Gesundheit Krankenhaus Patient Daten Schnittstelle Standard Norm
		Funkzelle Glasfaser Mobilfunk Frequenz Antenne Kabel Router Firmware Treiber Kernel Linux Windows
		Apple Google Microsoft Amazon Meta Telekom Vodafone Siemens Bosch Infineon Chip Halbleiter Fabrik
		Lieferkette Export Zoll Sanktion Krieg Frieden Klima Hitze Wasser Maßnahme Größe Außenminister
		Prüfung Lösung Änderung Ärger Öl Übernahme Fußball Spiel Konsole Entwickler Quellcode Lizenz`),
	}
}

// Fill stores generated entries from (inclusive) to to (exclusive) in s,
// BatchSize at a time: one SaveFeed per feed, then one SaveArticles.
func Fill(ctx context.Context, s *cache.Store, from, to int) error {
	for start := from; start < to; start += BatchSize {
		if err := StoreBatch(ctx, s, start, min(start+BatchSize, to)); err != nil {
			return err
		}
	}
	return nil
}

// StoreBatch stores entries [from, to) as one sync batch would: the feeds'
// entries first, then all their articles in one transaction.
func StoreBatch(ctx context.Context, s *cache.Store, from, to int) error {
	return MakeBatch(from, to).Store(ctx, s)
}

// Batch is what one sync batch stores: a result per feed, then articles.
type Batch struct {
	Feeds    []fetch.FeedResult
	Articles []fetch.ArticleResult
}

// MakeBatch generates the batch of entries [from, to).
func MakeBatch(from, to int) Batch {
	byFeed := map[string][]fetch.Entry{}
	var b Batch
	b.Articles = make([]fetch.ArticleResult, 0, to-from)
	for i := from; i < to; i++ {
		e, a := Entry(i)
		byFeed[e.Feed] = append(byFeed[e.Feed], e)
		if i%33 == 0 {
			byFeed[TelepolisFeed] = append(byFeed[TelepolisFeed], e)
		}
		b.Articles = append(b.Articles, fetch.ArticleResult{EntryID: e.ID, Article: a, FetchedAt: Base()})
	}
	for _, feed := range []string{HeiseFeed, TelepolisFeed} {
		title := "heise online"
		if feed == TelepolisFeed {
			title = "Telepolis"
		}
		b.Feeds = append(b.Feeds, fetch.FeedResult{Feed: fetch.Feed{URL: feed, Title: title}, Entries: byFeed[feed], FetchedAt: Base()})
	}
	return b
}

// Store saves the batch: SaveFeed per feed, then one SaveArticles.
func (b Batch) Store(ctx context.Context, s *cache.Store) error {
	for _, res := range b.Feeds {
		if _, err := s.SaveFeed(ctx, res); err != nil {
			return fmt.Errorf("store generated entries: %w", err)
		}
	}
	if err := s.SaveArticles(ctx, b.Articles); err != nil {
		return fmt.Errorf("store generated articles: %w", err)
	}
	return nil
}

// New creates a cache in a test's temp dir with n generated entries and
// articles and returns it open, with its path.
func New(tb testing.TB, n int) (*cache.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "kiosk.db")
	s, err := cache.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open cache: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close cache: %v", err)
		}
	})
	if err := Fill(context.Background(), s, 0, n); err != nil {
		tb.Fatalf("fill cache: %v", err)
	}
	return s, path
}

// SharedPath is where Shared keeps a generated cache of n entries: under
// os.TempDir, named by schema and generator version, never in the repo.
func SharedPath(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("kiosk-bench-s%d-g%d-n%d.db", cache.SchemaVersion(), version, n))
}

// Shared returns the path of a generated cache of n entries, building it
// the first time (this takes a while for 100,000) and reusing it on later
// runs. Callers must open it read-only or copy it: it is shared.
func Shared(tb testing.TB, n int) string {
	tb.Helper()
	path, err := BuildShared(context.Background(), n)
	if err != nil {
		tb.Fatalf("shared cache: %v", err)
	}
	return path
}

// BuildShared is Shared without testing.TB.
func BuildShared(ctx context.Context, n int) (string, error) {
	path := SharedPath(n)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := buildOnce(ctx, path, func(s *cache.Store) error { return Fill(ctx, s, 0, n) }); err != nil {
		return "", err
	}
	return path, nil
}

// buildOnce builds a shared cache at path with fill: in a temporary
// directory beside it, renamed into place when complete, so that a
// concurrent or interrupted build never leaves half a cache at path.
func buildOnce(ctx context.Context, path string, fill func(*cache.Store) error) error {
	tmp, err := os.MkdirTemp(filepath.Dir(path), "kiosk-bench-build-")
	if err != nil {
		return fmt.Errorf("build shared cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	built := filepath.Join(tmp, "kiosk.db")
	s, err := cache.Open(ctx, built)
	if err != nil {
		return fmt.Errorf("build shared cache: %w", err)
	}
	err = fill(s)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("build shared cache: %w", err)
	}
	if err := os.Rename(built, path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("build shared cache: %w", err)
	}
	return nil
}
