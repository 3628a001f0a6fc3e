package extract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// controlChar returns the first control character in s other than newline
// and tab (C0, DEL, C1 and so ESC), and whether there is one.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
			return r, true
		}
	}
	return 0, false
}

// articleTexts lists every text field of an article by name.
func articleTexts(a article.Article) map[string]string {
	m := map[string]string{
		"ID": a.ID, "URL": a.URL, "CanonicalURL": a.CanonicalURL, "Site": a.Site, "Title": a.Title,
		"Kicker": a.Kicker, "Lead": a.Lead, "ReadingTime": a.ReadingTime, "Body": a.Body, "Notice": a.Notice,
		"Rule": a.Rule, "AllPagesURL": a.AllPagesURL, "Markdown": markdown.Document(a),
	}
	for i, s := range a.Notices {
		m[fmt.Sprintf("Notices[%d]", i)] = s
	}
	for i, s := range a.Authors {
		m[fmt.Sprintf("Authors[%d]", i)] = s
	}
	figs := a.Figures
	if a.Hero != nil {
		figs = append([]article.Figure{*a.Hero}, figs...)
	}
	for i, f := range figs {
		for k, v := range map[string]string{"Image": f.Image, "Alt": f.Alt, "Caption": f.Caption, "Credit": f.Credit} {
			m[fmt.Sprintf("figure %d %s", i, k)] = v
		}
	}
	for i, r := range a.References {
		m[fmt.Sprintf("References[%d].URL", i)] = r.URL
		m[fmt.Sprintf("References[%d].Text", i)] = r.Text
	}
	return m
}

// checkArticle checks what must hold for any extracted article.
func checkArticle(t *testing.T, a article.Article) {
	t.Helper()
	for name, s := range articleTexts(a) {
		if r, ok := controlChar(s); ok {
			t.Fatalf("%s holds control character %U: %q", name, r, s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", name, s)
		}
	}
	for i, r := range a.References {
		if r.N != i+1 {
			t.Fatalf("References[%d].N = %d", i, r.N)
		}
		if !strings.HasPrefix(r.URL, "http://") && !strings.HasPrefix(r.URL, "https://") {
			t.Fatalf("References[%d].URL = %q is not http(s)", i, r.URL)
		}
	}
	if u := a.CanonicalURL; u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		t.Fatalf("CanonicalURL = %q is not http(s)", u)
	}
	for i, n := range a.Notices {
		if n != article.CleanLine(n) {
			t.Fatalf("Notices[%d] = %q is not one clean line", i, n)
		}
	}
}

func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(pagesDir, "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"<p>plain\x1b[31mred\x1b[0m \x07bell \u200bzero\u00a0nbsp \x9b31m c1</p>",
		`<html><head><title>T` + "\x1b]0;title\x07" + `</title><meta name="DC.identifier" content="https://heise.de/-123456"></head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">A` + "\x00\x01" + `</h1></header><div class="article-content"><p><a href="/x` + "\x1b" + `">l</a></p></div></article>`,
		`<article class="printversion"><h1>P</h1><p><b>t [1]</b> <b>u [9]</b></p><p><strong>Links in diesem Artikel:</strong><br>[1] https://a.example/` + "\x1b[2J" + `</p></article>`,
		"<figure><img src='data:x' data-src='//x/\x7f.png'><figcaption>(Bild: \x1b[1mX)</figcaption></figure>",
		strings.Repeat("<div>", 600) + "deep",
		// issue 8: nested quotes and lists, deep and reopened markup, wide
		// tables, hostile canonical URLs, Unicode tag characters
		"<article>" + strings.Repeat("<blockquote>", 12) + strings.Repeat("<p>x y</p>", 20) + "</article>",
		"<article>" + strings.Repeat(`<ol start="999990"><li>a`, 10) + strings.Repeat("<li>x", 20) + "</article>",
		"<p>" + strings.Repeat("<b>", 700) + "deep",
		"<p>" + strings.Repeat("<span><div>", 300) + "deep",
		"<p>" + strings.Repeat("<b id=x>", 5) + strings.Repeat("<i id=y>", 5) + "a</p>" + strings.Repeat("<p>t</p>", 30),
		"<article><table>" + strings.Repeat("<tr>"+strings.Repeat("<td>c</td>", 20)+"</tr>", 3) + "</table><table><tr><td><table><tr><td>n</td><td>m</td></tr></table></td><td>o</td></tr></table></article>",
		`<html><head><link rel="canonical" href="file:///etc/passwd"><meta property="og:url" content="javascript:alert(1)"></head><body><article><p>text</p></article></body></html>`,
		`<html><head><meta name="DC.identifier" content="https://heise.de/-1"><link rel="canonical" href="data:,x"></head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">T</h1></header><div class="article-content"><p>t</p></div></article></body></html>`,
		"<p>tag󠁁󠁿 chars ￹a￺b￻ <img alt='󠀁x' src='https://x/y.png' width=10 height=10></p>",
		"<pre>" + strings.Repeat("```\n", 5) + "</pre>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := Article("https://example.org/dir/page.html", page)
		if err != nil {
			return
		}
		checkArticle(t, a)
		checkBounds(t, a, page)
	})
}

func TestExtractHostilePages(t *testing.T) {
	var big strings.Builder
	for i := 0; big.Len() < 5<<20; i++ {
		fmt.Fprintf(&big, "<p>Absatz %d mit etwas Text, einem <a href=\"/ziel/%d\">Link</a> und <b>Auszeichnung</b>.</p>\n", i, i%50)
	}
	bigBody := big.String()
	tests := []struct {
		name    string
		page    string
		wantErr bool
		either  bool // a clear error or a clean article are both fine
	}{
		{"5 MB page", "<html><head><title>Gro\u00df</title></head><body><article>" + bigBody + "</article></body></html>", false, false},
		{"5 MB heise page", `<html><head><meta name="DC.identifier" content="https://heise.de/-7777777"></head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Lang</h1></header><div class="article-content">` + bigBody + `</div></article></body></html>`, false, false},
		// Markup nested past maxNesting is dropped, its text kept (see bounds_test.go).
		{"100k nested divs", "<html><body>" + strings.Repeat("<div>", 100_000) + "Text" + strings.Repeat("</div>", 100_000), false, false},
		{"100k nested inline tags", "<html><body><p>" + strings.Repeat("<b><i>", 50_000) + "Text", false, false},
		{"nesting just under the parser's limit", `<html><head><meta name="DC.identifier" content="https://heise.de/-7777778"></head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Tief</h1></header><div class="article-content">` + strings.Repeat("<div><span>", 240) + "Tiefer Text" + "</div></article></body></html>", false, false},
		{"no text", "<html><head><title>Leer</title></head><body><div><span></span></div><script>var x = 1;</script></body></html>", true, false},
		{"empty input", "", true, false},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x1b[31m\x89PNG\r\n\x1a\n", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Article("https://example.org/page", []byte(tt.page))
			if tt.either && err == nil {
				checkArticle(t, a)
				return
			}
			if tt.wantErr || tt.either {
				if err == nil {
					t.Fatalf("Extract = article %q, want an error", a.Title)
				}
				if !strings.HasPrefix(err.Error(), "extract https://example.org/page: ") {
					t.Errorf("error %q lacks context", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			if a.Body == "" {
				t.Fatal("empty body")
			}
			checkArticle(t, a)
		})
	}
	_, err := Article("", []byte("<html><body><p></p></body></html>"))
	if !errors.Is(err, ErrNoArticle) {
		t.Errorf("Article(no text) error = %v, want ErrNoArticle", err)
	}
}
