package extract

import (
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// figurePage wraps a figure's markup between paragraphs of an article, so
// that readability takes the page for one.
func figurePage(figure string) string {
	para := "<p>" + strings.Repeat("Der Gemeinderat hat am Dienstag über den Haushalt beraten und viele Fragen offen gelassen, sagte die Sprecherin. ", 4) + "</p>"
	return `<html lang="de"><head><title>Haushalt beraten</title></head><body><article><h1>Haushalt beraten</h1>` +
		para + para + figure + para + para + `</article></body></html>`
}

// TestInlineFigureForms checks the ways sites write a picture with its
// caption and credit outside a plain <figure><figcaption>: each becomes
// one figure with the caption and the credit apart, and neither is left
// in the text.
func TestInlineFigureForms(t *testing.T) {
	for _, c := range []struct {
		name, figure    string
		caption, credit string
		absentFromText  []string
		image           string
	}{
		{
			name: "footer credit beside the figcaption (readability drops <footer>)",
			figure: `<figure><picture><img src="/a.jpg"></picture><figcaption>Ein Rapper wirbt für Islamisten.</figcaption>` +
				`<footer>Screenshots Instagram/TikTok</footer></figure>`,
			caption: "Ein Rapper wirbt für Islamisten.", credit: "Screenshots Instagram/TikTok", image: "https://example.org/a.jpg",
		},
		{
			name: "bare image followed by a block with the caption and © credit",
			figure: `<div class="not-prose"><img src="/b.jpg" alt="Das Pflegeheim in Debant" title="Das Pflegeheim in Debant" width="800">` +
				`<div class="ml-3"><small>Das Pflegeheim in Debant</small><small>© Gemeinde Debant</small></div></div>`,
			caption: "Das Pflegeheim in Debant", credit: "Gemeinde Debant", image: "https://example.org/b.jpg",
			absentFromText: []string{"© Gemeinde"},
		},
		{
			name: "wrappers around the figure, the credit in a sibling block with a copyright class",
			figure: `<section><x-element><x-featured><figure><x-image src="/c.jpg" alt="Trump"></x-image>` +
				`<figcaption><span class="caption">Trumps Aussichten sind gestiegen.</span></figcaption></figure></x-featured></x-element>` +
				`<x-element><x-section class="image-meta-data"><div class="image-description">Trumps Aussichten sind gestiegen.</div>` +
				`<div class="image-copyright">picture alliance / AP | Alex Brandon</div></x-section></x-element></section>`,
			caption: "Trumps Aussichten sind gestiegen.", credit: "picture alliance / AP | Alex Brandon", image: "https://example.org/c.jpg",
			absentFromText: []string{"Alex Brandon"},
		},
		{
			name: "image only in <noscript> (readability removes it), caption and credit spans",
			figure: `<figure class="asset-embed"><div class="asset-container"><picture><noscript><img src="/d.jpg" alt="Top"></noscript></picture></div>` +
				`<div class="caption"><span class="caption__text">Top mit Pailletten.</span><span class="caption__credit">Foto: Nikolai von Bismarck</span></div></figure>`,
			caption: "Top mit Pailletten.", credit: "Nikolai von Bismarck", image: "https://example.org/d.jpg",
		},
		{
			name: "lightbox link with a hidden copy of the caption, credit class bildautor",
			figure: `<div class="swiper"><div class="swiper-wrapper"><figure class="articleImageFigure"><a href="/e-big.webp">` +
				`<div class="pswp-caption-content"><div class="bildautor">Bild: SN/APA/CYRIL ZINGARO</div><div>Trauertag am Freitag</div></div></a>` +
				`<picture><img src="/e.jpg" alt="Trauertag am Freitag"></picture><figcaption class="figcaption">` +
				`<div class="bildautor">Bild: SN/APA/CYRIL ZINGARO</div>Trauertag am Freitag</figcaption></figure></div></div>`,
			caption: "Trauertag am Freitag", credit: "SN/APA/CYRIL ZINGARO", image: "https://example.org/e.jpg",
		},
		{
			name: "caption in a heading inside the figcaption, credit in an author span",
			figure: `<figure class="articlecomponent image"><div><img src="/f.jpg" alt="Ultraorthodoxe protestierten."></div>` +
				`<figcaption><div class="image-description"><h2 class="image-description__caption">Ultraorthodoxe protestierten.</h2>` +
				`<div class="image-description__author"><span>Ammar Awad / Reuters</span></div></div></figcaption></figure>`,
			caption: "Ultraorthodoxe protestierten.", credit: "Ammar Awad / Reuters", image: "https://example.org/f.jpg",
		},
		{
			name: "picture container and caption block, the credit in the image's title",
			figure: `<div class="absatzbild"><div class="absatzbild__media"><img src="/g.jpg" alt="Jubel in Everton" ` +
				`title="Jubel in Everton | Bildquelle: Getty Images/Naomi Baker"></div>` +
				`<div class="absatzbild__info"><p class="absatzbild__info__text">Everton jubelt nach dem Treffer</p></div></div>`,
			caption: "Everton jubelt nach dem Treffer", credit: "Getty Images/Naomi Baker", image: "https://example.org/g.jpg",
		},
		{
			name: "data attributes on the image, a caption block that is hidden but repeats the alt text",
			figure: `<div class="my-4"><div class="relative"><img src="/h.jpg" alt="Imam beim Gebet in Wedding" ` +
				`data-source="Rolf Zoellner/imago"><button aria-label="Vollbild anzeigen"></button></div>` +
				`<div style="display:none"><span>Imam beim Gebet in Wedding</span> <small>imago</small></div></div>`,
			caption: "Imam beim Gebet in Wedding", credit: "Rolf Zoellner/imago", image: "https://example.org/h.jpg",
		},
		{
			name: "a title that repeats the alt text and adds the credit",
			figure: `<div class="absatzbild"><div class="absatzbild__media"><img src="/k.jpg" alt="Osborn im Zweikampf mit Antony" ` +
				`title="Osborn im Zweikampf mit Antony | AP/Dave Thompson"></div>` +
				`<div class="absatzbild__info"><p>Osborn (Sheffield) im Zweikampf mit Antony (Manchester)</p></div></div>`,
			caption: "Osborn (Sheffield) im Zweikampf mit Antony (Manchester)", credit: "AP/Dave Thompson", image: "https://example.org/k.jpg",
		},
		{
			name: "a container whose class names a picture, the credit outside the figcaption",
			figure: `<div class="detailelement bildbox"><figure class="articleImageFigure"><div class="bildcontainer"><picture><img src="/l.jpg" alt=""></picture>` +
				`<div class="bildautor">Foto: Bild: SN/APA/KEYSTONE</div></div><figcaption><div class="bildunterschrift">Der Bürgermeister räumte Versäumnisse ein</div>` +
				`</figcaption></figure></div>`,
			caption: "Der Bürgermeister räumte Versäumnisse ein", credit: "SN/APA/KEYSTONE", image: "https://example.org/l.jpg",
		},
		{
			name: "license class and a dash before the credit",
			figure: `<figure class="wp-caption"><img src="/i.jpg" alt="Hausfrau"><figcaption class="wp-caption-text">So beschaulich geht es nur in der Werbung zu ` +
				`<span class="media-license-caption"> – Midjourney</span></figcaption></figure>`,
			caption: "So beschaulich geht es nur in der Werbung zu", credit: "Midjourney", image: "https://example.org/i.jpg",
		},
		{
			name: "credit in data-credit that the caption repeats",
			figure: `<figure class="stepThumb"><img src="/j.jpg" alt="Ein Loch graben." data-credit="Lucy Akins"></figure>` +
				`<figcaption class="caption">Ein Loch graben. (Lucy Akins)</figcaption>`,
			caption: "Ein Loch graben.", credit: "Lucy Akins", image: "https://example.org/j.jpg",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := Article("https://example.org/haushalt", []byte(figurePage(c.figure)))
			if err != nil {
				t.Fatal(err)
			}
			f := findFigure(a, c.image)
			if f == nil {
				t.Fatalf("no figure of %s; hero %+v, figures %+v\n%s", c.image, a.Hero, a.Figures, a.Body)
			}
			if f.Caption != c.caption || f.Credit != c.credit {
				t.Errorf("figure caption %q credit %q, want %q and %q", f.Caption, f.Credit, c.caption, c.credit)
			}
			text := textOutsideFigures(a.Body)
			requireAbsent(t, text, append(c.absentFromText, c.credit)...)
			if strings.Count(markdown.Document(a), c.caption) != 1 {
				t.Errorf("caption %q shown %d times, want once:\n%s", c.caption, strings.Count(markdown.Document(a), c.caption), markdown.Document(a))
			}
		})
	}
}

// TestTeaserLinkIsNoCaption checks that the link of a teaser beside its
// picture, which repeats the picture's alt text, is not taken for the
// caption of an article figure.
func TestTeaserLinkIsNoCaption(t *testing.T) {
	teaser := `<div class="teaser"><div class="media"><div class="ratio"></div><img src="/t.jpg" alt="Wüst will eine Kammer für Streitigkeiten"></div>` +
		`<a href="/andere-meldung">Wüst will eine Kammer für Streitigkeiten</a></div>`
	a, err := Article("https://example.org/haushalt", []byte(figurePage(teaser)))
	if err != nil {
		t.Fatal(err)
	}
	if f := findFigure(a, "https://example.org/t.jpg"); f != nil && f.Caption != "" {
		t.Errorf("teaser picture got the caption %q from its link", f.Caption)
	}
}

// findFigure returns the hero or inline figure showing img, or nil.
func findFigure(a article.Article, img string) *article.Figure {
	if a.Hero != nil && a.Hero.Image == img {
		return a.Hero
	}
	for i := range a.Figures {
		if a.Figures[i].Image == img {
			return &a.Figures[i]
		}
	}
	return nil
}

// textOutsideFigures is the body without its figure lines.
func textOutsideFigures(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "**Bild**") && !strings.HasPrefix(strings.TrimSpace(l), "**Image**") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestSameImage(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"https://x.de/bild/1065910_name_detail-320w.webp", "https://x.de/bild/1065910_name_fancybox.webp", true},
		{"https://media0.faz.net/ppmedia/w1000/wirtschaft/1584711267/1.10419172/1900x850/paketflut.jpg.webp",
			"https://media0.faz.net/ppmedia/aktuell/wirtschaft/1584711267/1.10419172/16x9/paketflut-aus-china.jpg", true},
		{"https://cdn.example/tradwives-baking-1200x675.jpg", "https://cdn.example/tradwives-baking-640x360.jpg", true},
		// The article's ID in every picture's path is no picture's ID.
		{"https://www.merkur.de/bilder/2023/04/28/92243692/31438214-prinz-harry-NABG.jpg",
			"https://www.merkur.de/bilder/2023/04/28/92243692/31438109-nostradamus-collage.jpg", false},
		// Nor is an upload's time stamp.
		{"https://img.example/410384573/410384573_fc_1762438625_v1_1_200.jpeg", "https://img.example/410390770/410390770_1762438625_v16_9_1200.jpeg", false},
		// Six digits are often a date shared by a day's pictures.
		{"https://media.newyorker.com/cartoons/5ec8/master/200601_a23499.jpg", "https://media.newyorker.com/cartoons/5ec9/master/200601_a23504.jpg", false},
		// Digits inside hexadecimal IDs are no number of their own.
		{"https://media.vogue.de/photos/661e6d48ea8a857573e7ae36/master/KM0154_F5.jpg", "https://media.vogue.de/photos/661e6d45ea8a857573e7ae32/master/KM0486_F5.jpg", false},
	} {
		if got := sameImage(c.a, c.b); got != c.want {
			t.Errorf("sameImage(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestLeadPictureShownAgain checks that a figure far down the text that
// shows the lead picture again with a caption of its own stays in the
// body, while the lead picture's copy at the top goes.
func TestLeadPictureShownAgain(t *testing.T) {
	para := "<p>" + strings.Repeat("Der Strom fiel in weiten Teilen der Stadt aus, die Polizei regelte den Verkehr an vielen Kreuzungen. ", 4) + "</p>"
	page := `<html lang="de"><head><title>Stromausfall</title><meta property="og:image" content="https://example.org/409956368_v16_9_600.jpg"></head><body><article>` +
		`<h1>Stromausfall</h1><figure><img src="/409956368_v16_9_1200.jpg"><figcaption>Großer Stromausfall in Berlin</figcaption></figure>` +
		para + para + para + `<figure><img src="/409956368_v16_9_1200.jpg"><figcaption>Massiver Ausfall: Die Polizei regelt den Verkehr. ` +
		`<span class="credit">dpa</span></figcaption></figure>` + para + `</article></body></html>`
	a, err := Article("https://example.org/strom", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hero == nil || a.Hero.Caption != "Großer Stromausfall in Berlin" {
		t.Fatalf("hero = %+v, want the first figure", a.Hero)
	}
	if len(a.Figures) != 1 || a.Figures[0].Caption != "Massiver Ausfall: Die Polizei regelt den Verkehr." || a.Figures[0].Credit != "dpa" {
		t.Errorf("figures = %+v, want the second use of the picture with its caption and credit", a.Figures)
	}
	if strings.Count(a.Body, "Großer Stromausfall") != 0 {
		t.Errorf("the lead picture is shown again in the body:\n%s", a.Body)
	}
}

// TestCompleteArticleKeepsFigures checks that the figures and subheadings
// before the paragraphs readability left out come back with them (WDR
// splits its article into sibling modules, one per subheading, and
// readability keeps one of them).
func TestCompleteArticleKeepsFigures(t *testing.T) {
	p := func(s string) string {
		return `<p class="text">` + strings.Repeat(s+" ", 6) + `</p>`
	}
	first := p("Bislang gehen Beamte der Feuerwehr mit sechzig in den Ruhestand.") + p("Die Landesregierung will das Alter anheben, sagt sie.")
	page := `<html lang="de"><head><title>Feuerwehr</title></head><body><article><h1>Feuerwehr</h1>` +
		`<div class="box">` + first + `</div><div class="box"><h2>Land hat Gutachten versäumt</h2>` +
		`<figure><img src="https://example.org/atemschutz.jpg"><figcaption>Einsatz mit Atemschutzmasken</figcaption></figure>` +
		p("Der Leiter der Feuerwehr meldet erhebliche Bedenken an, sagte er im Landtag.") + p("Das Land habe versäumt, ein Gutachten erstellen zu lassen.") +
		`</div></article></body></html>`
	doc, _, err := parseBounded([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	story := storyParagraphs(newPage("https://example.org/feuerwehr", doc))
	// readability's article: a copy of the first module only.
	kept, _, err := parseBounded([]byte(`<div id="readability-page-1">` + first + `</div>`))
	if err != nil {
		t.Fatal(err)
	}
	root := dom.Find(kept, func(n *html.Node) bool { return dom.Attr(n, "id") == "readability-page-1" })
	completeArticle(root, story)
	md := (&markdown.Converter{Lang: "de"}).Convert(root)
	requireContains(t, md, "Bislang gehen Beamte", "## Land hat Gutachten versäumt", "*Einsatz mit Atemschutzmasken*", "erhebliche Bedenken")
	if i, j, k := strings.Index(md, "Gutachten versäumt"), strings.Index(md, "Atemschutzmasken"), strings.Index(md, "erhebliche Bedenken"); i < 0 || j < i || k < j {
		t.Errorf("subheading, figure and paragraph out of order:\n%s", md)
	}
}

// TestLeadNotTheCaption checks that when readability's excerpt (here the
// JSON-LD description) is the lead picture's caption, the page's meta
// description becomes the lead.
func TestLeadNotTheCaption(t *testing.T) {
	caption := "Auch der Drogenbeauftragte hat sich die Dokumentation über den Rapper angesehen."
	para := "<p>" + strings.Repeat("Der Drogenbeauftragte hat die Dokumentation über den Rapper gelobt und warnt vor Verherrlichung. ", 4) + "</p>"
	page := `<html lang="de"><head><title>Doku gelobt</title>` +
		`<meta name="description" content="Der Drogenbeauftragte erklärt, warum er die Dokumentation berührend fand.">` +
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Doku gelobt","description":"` + caption + `"}</script>` +
		`</head><body><article><h1>Doku gelobt</h1><figure><img src="/doku.jpg"><figcaption>` + caption + `</figcaption></figure>` +
		para + para + `</article></body></html>`
	a, err := Article("https://example.org/doku", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Der Drogenbeauftragte erklärt, warum er die Dokumentation berührend fand."; a.Lead != want {
		t.Errorf("Lead = %q, want the meta description %q", a.Lead, want)
	}
}

// TestCaptionBlockNarrowed checks that when the block after a picture
// holds the caption part and the lead paragraph, only the caption part
// is taken, and the paragraph stays in the text.
func TestCaptionBlockNarrowed(t *testing.T) {
	page := figurePage(`<div class="atc-ImageContainer"><a href="/bild-123.html"><img src="/los.jpg" alt="Los geht’s mit dem Ticket für 49 Euro."></a>` +
		`<span class="btn"><a href="#desc"><span class="hidden-text">Bildbeschreibung einblenden</span></a></span></div>` +
		`<div class="atc-Intro"><div class="atc-ImageDescription"><p><span class="atc-ImageDescriptionText">Los geht’s mit dem Ticket für 49 Euro.</span>` +
		`<span class="atc-ImageDescriptionCopyright">Bild: Maximilian von Lachner</span></p></div>` +
		`<p class="atc-IntroText">Alles wird teurer, nur nicht der Nahverkehr, und der Verbund hat schon viele Tickets verkauft.</p></div>`)
	a, err := Article("https://example.org/haushalt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	f := findFigure(a, "https://example.org/los.jpg")
	if f == nil || f.Caption != "Los geht’s mit dem Ticket für 49 Euro." || f.Credit != "Maximilian von Lachner" {
		t.Fatalf("figure = %+v, want the caption and credit of the description block", f)
	}
	requireContains(t, textOutsideFigures(a.Lead+"\n"+a.Body), "Alles wird teurer, nur nicht der Nahverkehr")
}

// TestTeaserRepeatingTheLeadPicture checks that a block marked as a
// description under the headline that only repeats the lead picture's
// text (a slideshow's caption) becomes the picture's caption, not the
// article's lead.
func TestTeaserRepeatingTheLeadPicture(t *testing.T) {
	const caption = "Rescue workers search the debris of the bridge on Tuesday morning, a day after the collapse. (Jane Roe/AP)"
	para := "<p>The bridge over the river collapsed on Monday evening during rush hour, and rescue teams have been searching the water and the banks ever since, officials said.</p>\n"
	page := `<!DOCTYPE html><html lang="en"><head><title>Bridge collapses</title>
<meta name="description" content="Officials say the bridge had been inspected last year and found safe."></head><body><main><article>
<h1>Bridge collapses during rush hour</h1>
<div class="slideshow"><ul class="carousel"><li><figure><img src="https://img.example.com/bridge.jpg" alt="` + caption + `"></figure></li></ul></div>
<div class="slide-info"><div><span>1 / 5</span></div><div><div class="slideshow-description">` + caption + `</div></div></div>
` + strings.Repeat(para, 5) + `</article></main></body></html>`
	a, err := Article("https://news.example.com/bridge.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Lead, "Rescue workers") {
		t.Errorf("lead is the picture's caption: %q", a.Lead)
	}
	if a.Hero == nil || !strings.HasPrefix(a.Hero.Caption, "Rescue workers search the debris") {
		t.Fatalf("lead picture without its caption: %+v", a.Hero)
	}
	if strings.Count(markdown.Document(a), "Rescue workers") != 1 {
		t.Errorf("the caption is not shown exactly once:\n%s", markdown.Document(a))
	}
}
