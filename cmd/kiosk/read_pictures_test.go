package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/ui"
)

// TestReadDrawsStoredPictures: kiosk read ID with pictures draws the
// stored picture right above its caption, offline, from the cache.
func TestReadDrawsStoredPictures(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	page, err := os.ReadFile(seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	a, err := fetch.Extract("https://www.telepolis.de/features/Schoigu-Anruf-9675153.html", page)
	if err != nil || a.Hero == nil {
		t.Fatalf("extract seed: %v, hero %v", err, a.Hero)
	}
	m := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for i := range m.Pix {
		m.Pix[i] = uint8(i)
	}
	m.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, m, nil); err != nil {
		t.Fatal(err)
	}
	pic, err := fetch.MakePicture(jpg.Bytes(), "image/jpeg", fetch.PictureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pic.URL = a.Hero.Image
	s, err := cache.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	const tp = "https://www.telepolis.de/news-atom.xml"
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: tp}, FetchedAt: time.Now(),
		Entries: []fetch.Entry{{ID: "9675153", Feed: tp, URL: a.URL, Title: a.Title}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveArticles(ctx, []fetch.ArticleResult{{EntryID: "9675153", Article: &a, FetchedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePictures(ctx, []string{"9675153"}, []fetch.Picture{pic}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	e.g.dataDir, e.g.offline = dir, true
	cached, err := loadArticle(ctx, e, "9675153")
	if err != nil {
		t.Fatal(err)
	}
	text, err := e.renderWithPictures(ctx, "9675153", cached, 80, ui.StyleDark, ui.ProtocolHalfblocks)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(text, "\n")
	caption := -1
	for i, l := range lines {
		if strings.Contains(ansi.Strip(l), "In Paris sieht jemand die Fernsehübertragung") && strings.Contains(ansi.Strip(l), "Bild") {
			caption = i
			break
		}
	}
	if caption < 2 || !strings.Contains(lines[caption-1], "▀") && !strings.Contains(lines[caption-2], "▀") {
		t.Fatalf("no picture right above the caption (line %d):\n%s", caption, ansi.Strip(text))
	}
	if errb.Len() > 0 {
		t.Errorf("warnings: %s", errb.String())
	}
	// Pictures off, or no terminal: the output is the plain rendering.
	if p := e.pictureProtocol("ansi", true); p != ui.ProtocolNone {
		t.Errorf("pictureProtocol for a non-terminal stdout = %q, want none", p)
	}
}

// TestReadFetchesPicturesOfAPage: for a URL, pictures are fetched now.
func TestReadFetchesPicturesOfAPage(t *testing.T) {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 40, 20)), nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg.Bytes())
	}))
	defer srv.Close()
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	a := fetch.Article{Hero: &fetch.Figure{Image: srv.URL + "/hero.jpg"}, Figures: []fetch.Figure{{Image: srv.URL + "/2.jpg"}}}
	pics, err := e.articlePictures(t.Context(), srv.URL+"/page.html", a)
	if err != nil || len(pics) != 2 || pics[0].URL != srv.URL+"/hero.jpg" || pics[0].Width != 40 {
		t.Errorf("articlePictures = %+v, %v", pics, err)
	}
}

// fixtureJPEG is the picture the fixture site serves for every /imgs/ URL.
var fixtureJPEG = func() []byte {
	m := image.NewRGBA(image.Rect(0, 0, 800, 450))
	for i := range m.Pix {
		m.Pix[i] = uint8(i / 7)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return b.Bytes()
}()

// TestSyncThenPicturesOffline is issue 11 end to end: a sync stores the
// seed article's picture; with the site gone, kiosk read draws it above
// its caption from the cache.
func TestSyncThenPicturesOffline(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	dir := t.TempDir()
	_, stderr, err := syncEnv(t, srv, dir, "sync", "--feed", "Telepolis")
	if err != nil || !strings.Contains(stderr, "stored, 0 failed") || strings.Contains(stderr, "pictures: 0 stored") {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	srv.Close()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	e.g.config, e.g.dataDir, e.g.offline = filepath.Join(dir, "config.toml"), filepath.Join(dir, "data"), true
	a, err := loadArticle(t.Context(), e, "9675153")
	if err != nil {
		t.Fatal(err)
	}
	text, err := e.renderWithPictures(t.Context(), "9675153", a, 80, ui.StyleDark, ui.ProtocolHalfblocks)
	if err != nil {
		t.Fatal(err)
	}
	plain := ansi.Strip(text)
	pic, caption := strings.Index(plain, "▀"), strings.Index(plain, "In Paris sieht jemand")
	if pic < 0 || caption < pic || strings.Contains(plain[pic:caption], "Das russische") {
		t.Errorf("the picture is not right above its caption offline:\n%s", plain[:min(len(plain), 3000)])
	}
}
