package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// convertFragment converts an HTML body fragment the way Extract converts an
// article body, with base as the page URL.
func convertFragment(t *testing.T, base, fragment string, hero *article.Figure) (string, []article.Reference, []article.Figure) {
	t.Helper()
	doc, err := html.ParseWithOptions(strings.NewReader("<html><body>"+fragment+"</body></html>"), html.ParseOptionEnableScripting(false))
	if err != nil {
		t.Fatal(err)
	}
	var u *url.URL
	if base != "" {
		if u, err = url.Parse(base); err != nil {
			t.Fatal(err)
		}
	}
	c := &Converter{Base: u, Lang: "de"}
	body := c.FillImageRefs(hero, c.Convert(dom.Find(doc, dom.ByTag("body"))))
	return body, c.References(), c.Figures()
}

func TestReferenceNumbering(t *testing.T) {
	const base = "https://example.org/dir/page.html"
	tests := []struct {
		name, fragment string
		hero           *article.Figure
		wantBody       string
		wantRefs       []string // URL, with a trailing " (image)" for image references
	}{
		{
			name:     "repeated URL keeps its first number",
			fragment: `<p><a href="https://a.example/x">one</a>, <a href="https://b.example/">two</a> and <a href="https://a.example/x">three</a></p>`,
			wantBody: "one [1], two [2] and three [1]",
			wantRefs: []string{"https://a.example/x", "https://b.example/"},
		},
		{
			name:     "relative URLs are resolved against the page",
			fragment: `<p><a href="../other.html">up</a> <a href="/root?q=1">root</a> <a href="//cdn.example/f">cdn</a> <a href="same.html#part">same dir</a></p>`,
			wantBody: "up [1] root [2] cdn [3] same dir [4]",
			wantRefs: []string{"https://example.org/other.html", "https://example.org/root?q=1", "https://cdn.example/f", "https://example.org/dir/same.html#part"},
		},
		{
			name:     "mailto, javascript, tel and anchors keep their text only",
			fragment: `<p>Write <a href="mailto:a@b.example">to us</a>, <a href="javascript:alert(1)">click</a>, <a href="tel:+49123">call</a>, <a href="#top">go up</a> or <a href="https://example.org/dir/page.html#x">here</a>.</p>`,
			wantBody: "Write to us, click, call, go up or here.",
		},
		{
			name:     "a link without text is no reference",
			fragment: `<p>Text<a href="https://a.example/"> </a> more <a href="https://b.example/"><span></span></a></p>`,
			wantBody: "Text more",
		},
		{
			name:     "the marker follows the whole link text with one space",
			fragment: `<p><a href="https://a.example/"> <b>bold</b> link</a>, then <a href="https://b.example/">x</a>-word</p>`,
			wantBody: "**bold** link [1], then x [2]-word",
			wantRefs: []string{"https://a.example/", "https://b.example/"},
		},
		{
			name: "images are numbered after all body links, the hero first",
			fragment: `<p><a href="https://a.example/">a</a></p>
<figure><img src="/img/one.png" alt="One"><figcaption>First</figcaption></figure>
<p><a href="https://b.example/">b</a></p>
<figure><img src="two.png"></figure>`,
			hero:     &article.Figure{Image: "https://example.org/hero.jpg", Caption: "Hero"},
			wantBody: "a [1]\n\n**Bild** [4]: *First*\n\nb [2]\n\n**Bild** [5]",
			wantRefs: []string{"https://a.example/", "https://b.example/", "https://example.org/hero.jpg (image)", "https://example.org/img/one.png (image)", "https://example.org/dir/two.png (image)"},
		},
		{
			name:     "emoji and tracking pixels stay inline, a heading keeps a trailing hash",
			fragment: `<h2>Sprache C#</h2><p>Gut <img class="emoji" src="/e.png" alt="😀"> gemacht<img src="/pixel.gif" width="1" height="1"></p>`,
			wantBody: "## Sprache C\\#\n\nGut 😀 gemacht",
		},
		{
			name:     "an image linked in the body keeps the link's number",
			fragment: `<p><a href="https://example.org/big.png">the chart</a></p><figure><img src="https://example.org/big.png" alt="Chart"></figure>`,
			wantBody: "the chart [1]\n\n**Bild** [1]: *Chart*",
			wantRefs: []string{"https://example.org/big.png"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, refs, _ := convertFragment(t, base, tt.fragment, tt.hero)
			if body != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
			var got []string
			for i, r := range refs {
				if r.N != i+1 {
					t.Errorf("References[%d].N = %d, want %d", i, r.N, i+1)
				}
				s := r.URL
				if r.Image {
					s += " (image)"
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tt.wantRefs) {
				t.Errorf("references = %q, want %q", got, tt.wantRefs)
			}
		})
	}
}

func TestReferencesWithoutBase(t *testing.T) {
	body, refs, figs := convertFragment(t, "", `<p><a href="/relative">rel</a> <a href="https://abs.example/">abs</a></p><figure><img src="/i.png"></figure>`, nil)
	if body != "rel abs [1]" || len(refs) != 1 || len(figs) != 0 {
		t.Errorf("without a base: body %q, refs %v, figures %v; want relative links and images dropped", body, refs, figs)
	}
}

func TestCaptionQuirks(t *testing.T) {
	const base = "https://www.heise.de/"
	tests := []struct {
		name, fragment string
		want           article.Figure
	}{
		{
			name: "caption in a sibling div.text, credit with NBSP",
			fragment: `<a-lightbox class="a-inline-image" src="/imgs/18/a.png"><figure><div><a-img src="/imgs/18/a.png" alt="Alt"><img src="data:image/svg+xml,%3Csvg%3E" alt="Alt"></a-img>
<noscript><img src="https://heise.cloudimg.io/width/696/a.png"></noscript></div>
<figcaption class="a-caption"><p class="a-caption__text"> </p><div class="text">The caption.</div><p class="a-caption__source">(Bild:&nbsp;Verbraucherzentrale.de / Phishingradar)</p></figcaption></figure></a-lightbox>`,
			want: article.Figure{Image: "https://heise.cloudimg.io/width/696/a.png", Alt: "Alt", Caption: "The caption.", Credit: "Verbraucherzentrale.de / Phishingradar"},
		},
		{
			name:     "source-only caption",
			fragment: `<figure class="article-image"><img src="/imgs/b.jpg" alt="B"><figcaption class="a-caption--mobile-padding"><p class="a-caption__source">(Bild: dpa)</p></figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/imgs/b.jpg", Alt: "B", Credit: "dpa"},
		},
		{
			name:     "Telepolis print form: caption. Bild: X",
			fragment: `<figure><img src="c.jpg"><figcaption>In Paris sieht jemand fern. Bild: Hadrian / Shutterstock.com</figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/c.jpg", Caption: "In Paris sieht jemand fern.", Credit: "Hadrian / Shutterstock.com"},
		},
		{
			name:     "credit in parentheses at the end of the caption",
			fragment: `<figure><img src="d.jpg"><figcaption>Der Saal in Mainz (Bild: Bundesnetzagentur)</figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/d.jpg", Caption: "Der Saal in Mainz", Credit: "Bundesnetzagentur"},
		},
		{
			name:     "only a credit",
			fragment: `<figure><img src="e.jpg"><figcaption>Bild: Hersteller</figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/e.jpg", Credit: "Hersteller"},
		},
		{
			name:     "credit text is kept exactly, parentheses inside stay",
			fragment: `<figure><img src="f.jpg"><figcaption><p class="caption">Foto</p><p class="source">(Bild: Renée French (CC BY 3.0))</p></figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/f.jpg", Caption: "Foto", Credit: "Renée French (CC BY 3.0)"},
		},
		{
			name:     "data: placeholder: the a-img source is used",
			fragment: `<figure><a-img src="/imgs/g.png" alt="G"><img src="data:image/svg+xml;base64,AAAA"></a-img></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/imgs/g.png", Alt: "G"},
		},
		{
			name:     "lazy image: data-src instead of the placeholder",
			fragment: `<figure><img src="data:image/gif;base64,R0lGOD" data-src="/lazy/h.webp" alt="H"><figcaption>Lazy <em>caption</em> text</figcaption></figure>`,
			want:     article.Figure{Image: "https://www.heise.de/lazy/h.webp", Alt: "H", Caption: "Lazy caption text"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, figs := convertFragment(t, base, tt.fragment, nil)
			if len(figs) != 1 {
				t.Fatalf("got %d figures, want 1", len(figs))
			}
			got := figs[0]
			got.Ref = 0
			if got != tt.want {
				t.Errorf("figure = %+v\nwant       %+v", got, tt.want)
			}
		})
	}
	// Only a placeholder: no figure at all, and no data: URL anywhere.
	body, refs, figs := convertFragment(t, base, `<figure><img src="data:image/svg+xml,%3Csvg%3E" alt="x"></figure><p>text</p>`, nil)
	if len(figs) != 0 || len(refs) != 0 || strings.Contains(body, "data:") {
		t.Errorf("placeholder-only figure: body %q, refs %v, figures %v", body, refs, figs)
	}
}

func TestCleanCredit(t *testing.T) {
	for in, want := range map[string]string{
		"(Bild:\u00a0Hadrian / Shutterstock.com)": "Hadrian / Shutterstock.com",
		"Bild: Hadrian / Shutterstock.com":        "Hadrian / Shutterstock.com",
		"(Foto: dpa)":                             "dpa",
		"((Bild: x))":                             "x",
		"heise online":                            "heise online",
		"  (Bild:  A\u200b B )  ":                 "A B",
	} {
		if got := cleanCredit(in); got != want {
			t.Errorf("cleanCredit(%q) = %q, want %q", in, got, want)
		}
	}
}
