package markdown

import (
	"bytes"
	"github.com/kiosk-reader/kiosk/fetch/article"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// renderHTML renders Markdown the way glamour parses it (CommonMark with the
// GitHub extensions), so tests can see what the Markdown means.
func renderHTML(t *testing.T, md string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestEscapeLineStart(t *testing.T) {
	for in, want := range map[string]string{
		"# a": "\\# a", "#a": "\\#a", "> a": "\\> a", "- a": "\\- a", "-5 Grad": "-5 Grad", "--": "\\--",
		"+ a": "\\+ a", "=": "\\=", "1. Mai": "1\\. Mai", "2024) Jahr": "2024\\) Jahr", "1.5 Liter": "1.5 Liter",
		"12345678901. x": "12345678901. x", "a # b": "a # b", "": "",
	} {
		if got := escapeLineStart(in); got != want {
			t.Errorf("escapeLineStart(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeInline(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a*b_c": "a\\*b\\_c", "[x]": "\\[x\\]", "`c`": "\\`c\\`", "<x>": "\\<x>", "a|b": "a\\|b",
		"~x~": "\\~x\\~", "1&1": "1&1", "AT&T": "AT\\&T", "&#60;": "\\&#60;", "a\\b": "a\\\\b", "ü & ö": "ü & ö",
	} {
		if got := escapeInline(in); got != want {
			t.Errorf("escapeInline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownDocument(t *testing.T) {
	a := article.Article{
		Rule:         "heise",
		Title:        "Titel mit *Stern* und [Klammer]",
		Lead:         "1. Satz des Vorspanns.",
		Notice:       "Archiv",
		Hero:         &article.Figure{Image: "https://example.org/h.jpg", Caption: "Bildtext", Credit: "Agentur", Ref: 2},
		Body:         "Ein Link [1].",
		CanonicalURL: "https://www.heise.de/-1",
		URL:          "https://www.heise.de/news/x-1.html",
		References: []article.Reference{
			{N: 1, URL: "https://example.org/a b<c>"},
			{N: 2, URL: "https://example.org/h.jpg", Image: true},
		},
	}
	want := "# Titel mit \\*Stern\\* und \\[Klammer\\]\n\n" +
		"*Archiv*\n\n" +
		"1\\. Satz des Vorspanns.\n\n" +
		"**Bild** [2]: *Bildtext* (Bild: Agentur)\n\n" +
		"Ein Link [1].\n\n" +
		"URL dieses Artikels: <https://www.heise.de/-1>\n\n" +
		"Links in diesem Artikel:\n\n" +
		"[1] <https://example.org/a%20b%3Cc%3E>\n\n" +
		"[2] <https://example.org/h.jpg>\n"
	if got := Document(a); got != want {
		t.Errorf("Markdown =\n%s\nwant\n%s", got, want)
	}
	// Other sites get English words.
	a.Rule = "readability"
	if en := Document(a); !strings.Contains(en, "**Image** [2]: *Bildtext* (Image: Agentur)") ||
		!strings.Contains(en, "URL of this article: <https://www.heise.de/-1>") || !strings.Contains(en, "Links in this article:") {
		t.Errorf("Markdown of a non-heise article uses other words:\n%s", en)
	}
	// Each reference renders as a paragraph of its own, with its URL as a link.
	out := renderHTML(t, want)
	for _, w := range []string{"<p>[1] <a href=\"https://example.org/a%20b%3Cc%3E\">", "<p>[2] <a href=\"https://example.org/h.jpg\">", "<h1>"} {
		if !strings.Contains(out, w) {
			t.Errorf("rendered document lacks %q:\n%s", w, out)
		}
	}
	// Without a canonical URL the page URL is the article's URL; without
	// references there is no list.
	a.Rule, a.CanonicalURL, a.References = "heise", "", nil
	md := Document(a)
	if !strings.Contains(md, "URL dieses Artikels: <https://www.heise.de/news/x-1.html>") || strings.Contains(md, "Links in diesem Artikel") {
		t.Errorf("Markdown without canonical URL and references:\n%s", md)
	}
}

func TestFigureMarkdownLooksDifferent(t *testing.T) {
	md := "Body text.\n\n> A quote.\n\n" + figureMarkdown(article.Figure{Image: "x", Caption: "Caption", Credit: "Credit"}, "3", germanLabels())
	out := renderHTML(t, md)
	want := "<p>Body text.</p>\n<blockquote>\n<p>A quote.</p>\n</blockquote>\n<p><strong>Bild</strong> [3]: <em>Caption</em> (Bild: Credit)</p>\n"
	if out != want {
		t.Errorf("rendered figure =\n%s\nwant\n%s", out, want)
	}
	for _, tt := range []struct {
		f    article.Figure
		want string
	}{
		{article.Figure{Image: "x", Alt: "Alt only"}, "**Bild** [1]: *Alt only*"},
		{article.Figure{Image: "x", Credit: "Only credit"}, "**Bild** [1]: (Bild: Only credit)"},
		{article.Figure{Image: "x"}, "**Bild** [1]"},
	} {
		if got := figureMarkdown(tt.f, "1", germanLabels()); got != tt.want {
			t.Errorf("figureMarkdown(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}
