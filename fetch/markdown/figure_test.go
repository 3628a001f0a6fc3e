package markdown

import (
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

func TestIsFileNameAlt(t *testing.T) {
	for _, tc := range []struct {
		alt  string
		want bool
	}{
		{"12-IMG_3886.jpg", true}, {"DSC01234", true}, {"image.png", true}, {"foto_1", true},
		{"P1610088", true}, {"performance.JPG", true},
		{"Überweisung", false}, {"COVID-19", false}, {"Kate Moss, Parfum, Beauty-Routine", false},
		{"F-35", false}, {"Christin Jordan, SWR", false}, {"", false}, {"Stand: 12.03.2024", false},
	} {
		if got := isFileNameAlt(tc.alt); got != tc.want {
			t.Errorf("isFileNameAlt(%q) = %v, want %v", tc.alt, got, tc.want)
		}
	}
}

// TestFigureOfCaptionForms checks how FigureOf tells caption and credit
// apart in figures whose markup alone does not say it.
func TestFigureOfCaptionForms(t *testing.T) {
	for _, c := range []struct {
		name, html      string
		caption, credit string
	}{
		{"the caption is only a credit", `<figure><img src="https://example.org/a.jpg"><figcaption><span>Devindra Hardawar/AOL</span></figcaption></figure>`,
			"", "Devindra Hardawar/AOL"},
		{"buttons and hidden tooltips are no caption", `<figure><img src="https://example.org/b.jpg"><div class="caption"><span>“Her shoulder bag.”</span></div>` +
			`<div class="cta"><button aria-label="Copy link">Copy link to cartoon</button><div aria-hidden="true">Link copied</div></div>` +
			`<div class="caption"><span class="caption__credit">Cartoon by Danny Shanahan</span></div></figure>`,
			"“Her shoulder bag.”", "Cartoon by Danny Shanahan"},
		{"data-credit, repeated at the caption's end", `<figure><img src="https://example.org/c.jpg" data-credit="Lucy Akins"><figcaption>Attach moss. (Lucy Akins)</figcaption></figure>`,
			"Attach moss.", "Lucy Akins"},
		{"a trailing <small> is the credit", `<figure><img src="https://example.org/d.jpg"><figcaption><span>Paketflut aus China</span> <small>dpa</small></figcaption></figure>`,
			"Paketflut aus China", "dpa"},
		{"a copyright-classed line holding caption and credit", `<figure><img src="https://example.org/f.jpg"><div class="copytext__captionLine mediaBox__copyright">` +
			`<span class="figcaption">Die Ministerin besuchte sie am Arbeitsplatz.</span><span class="figcaption__copyright">Bild © Roman Warschauer (hr)</span></div></figure>`,
			"Die Ministerin besuchte sie am Arbeitsplatz.", "Roman Warschauer (hr)"},
		{"a camel-case credit class", `<figure><img src="https://example.org/g.jpg"><figcaption><span class="atc-ImageDescriptionText">Los geht’s mit dem Ticket.</span>` +
			`<span class="atc-ImageDescriptionCopyright">Bild: Maximilian von Lachner</span></figcaption></figure>`,
			"Los geht’s mit dem Ticket.", "Maximilian von Lachner"},
		{"an author class in the caption", `<figure><img src="https://example.org/e.jpg"><figcaption><h2>Protest in Jerusalem.</h2><div class="image-description__author">Ammar Awad / Reuters</div></figcaption></figure>`,
			"Protest in Jerusalem.", "Ammar Awad / Reuters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(c.html))
			if err != nil {
				t.Fatal(err)
			}
			fig := dom.Find(doc, dom.ByTag("figure"))
			f, ok := FigureOf(nil, fig, false)
			if !ok || f.Caption != c.caption || f.Credit != c.credit {
				t.Errorf("FigureOf = %+v, %v; want caption %q, credit %q", f, ok, c.caption, c.credit)
			}
		})
	}
}

// TestFigureOfPlaceholderSrc checks that a lazy page's blank src gives way
// to the picture a data attribute names.
func TestFigureOfPlaceholderSrc(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<figure><img src="https://www.faz.net/img/leer.gif" ` +
		`data-retina-src="https://media0.faz.net/ppmedia/1.8857106/los-geht-s.jpg"><figcaption>Los geht’s</figcaption></figure>`))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := FigureOf(nil, dom.Find(doc, dom.ByTag("figure")), false)
	if want := "https://media0.faz.net/ppmedia/1.8857106/los-geht-s.jpg"; !ok || f.Image != want {
		t.Errorf("FigureOf image = %q, %v; want %q", f.Image, ok, want)
	}
}

// TestFigureOfAltAfterSource checks that the alt text is read from the
// <img> when the picture's URL comes from a <source> before it, and that
// a title repeating it adds the credit.
func TestFigureOfAltAfterSource(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<picture><source srcset="https://example.org/a.webp 640w">` +
		`<img src="https://example.org/a.jpg" alt="Andrew Robertson vom FC Liverpool" title="Andrew Robertson vom FC Liverpool | AFP/Paul Ellis"></picture>`))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := FigureOf(nil, dom.Find(doc, dom.ByTag("picture")), false)
	if !ok || f.Alt != "Andrew Robertson vom FC Liverpool" || f.Credit != "AFP/Paul Ellis" {
		t.Errorf("FigureOf = %+v, %v; want the img's alt and the title's credit", f, ok)
	}
}
