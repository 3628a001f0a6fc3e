package extract

import (
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"slices"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// noisyPage is a German news page with the furniture of issue 9 around and
// inside its article: consent panel, breadcrumbs, byline with "Von:", a
// meta line, the lead picture with its credit in the caption, an embed
// placeholder in the middle of the text, a related-articles block, a
// newsletter box, a share bar, a donation box and an author bio; its
// first paragraph starts with a drop cap set apart.
const noisyPage = `<!DOCTYPE html><html lang="de"><head><title>Stadtrat beschließt neuen Radweg | Beispielzeitung</title>
<meta property="og:title" content="Stadtrat beschließt neuen Radweg">
<meta property="og:site_name" content="Beispielzeitung">
<meta property="og:image" content="https://img.example.de/social/radweg-1200x630.jpg">
<meta name="author" content="redaktion@beispielzeitung.de">
<link rel="canonical" href="https://www.beispielzeitung.de/lokales/radweg-123456.html"></head><body>
<div id="cmp-consent-banner" class="cmp-container"><p>Wir verwenden Cookies. Mit Klick auf Akzeptieren stimmen Sie der Verarbeitung zu.</p><button>Akzeptieren</button></div>
<div class="overlay-x7"><div><p>Wir und unsere Partner verarbeiten personenbezogene Daten, um Inhalte zu personalisieren. Sie können Ihre Auswahl jederzeit in den Privatsphäre-Einstellungen ändern.</p><button>Alle akzeptieren</button> <button>Einstellungen verwalten</button></div></div>
<nav class="breadcrumb"><a href="/">Startseite</a> › <a href="/lokales/">Lokales</a></nav>
<main><article>
<header><h1>Stadtrat beschließt neuen Radweg</h1>
<p class="article-author">Von: Anna Muster</p>
<p class="meta">Stand: 12.03.2024, 14:05 Uhr</p><p>Lesedauer: 3 Min.</p></header>
<figure class="article-image"><img src="https://img.example.de/radweg-800x450.jpg" alt="Radweg an der Hauptstraße">
<figcaption>Der neue Radweg soll entlang der Hauptstraße führen. Foto: Max Bild/dpa</figcaption></figure>
<p><span class="initial-letter">D</span> <span>er Stadtrat hat am Dienstagabend</span> mit großer Mehrheit den Bau eines neuen Radwegs entlang der Hauptstraße beschlossen. Die Arbeiten sollen im Herbst beginnen und bis zum Frühjahr dauern.</p>
<p>Die Kosten von rund zwei Millionen Euro trägt zum größten Teil das Land. Die Stadt muss etwa ein Viertel der Summe aus dem eigenen Haushalt aufbringen, wie der Kämmerer in der Sitzung erklärte.</p>
<div class="embed-wrapper"><p><strong>Empfohlener redaktioneller Inhalt</strong></p><p>An dieser Stelle finden Sie einen externen Inhalt von YouTube, der den Artikel ergänzt.</p>
<button>Inhalte von YouTube erlauben</button><p>Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden. <a href="https://www.beispielzeitung.de/datenschutz">Datenschutz</a></p>
<a href="https://www.youtube.com/watch?v=abc123">Link zum YouTube-Inhalt</a></div>
<p>Nach dem Video diskutierten die Fraktionen noch lange über die Zahl der Parkplätze, die für den Radweg wegfallen werden. Am Ende stimmten nur vier Ratsmitglieder dagegen.</p>
<h3>Lesen Sie auch</h3><ul><li><a href="/lokales/bahnhof.html">Neuer Bahnhof verzögert sich</a></li><li><a href="/lokales/bus.html">Busfahrplan ändert sich</a></li></ul>
<div class="box"><p>Newsletter: Jetzt kostenlos abonnieren und nichts mehr verpassen.</p><a href="/newsletter">Zum Newsletter</a></div>
<p>Der Baubeginn hängt nun noch von der Ausschreibung ab, die im Sommer veröffentlicht werden soll. Die Verwaltung rechnet mit mehreren Angeboten aus der Region.</p>
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">WhatsApp</a> <a href="#">E-Mail</a></div>
<div class="support"><h4>Unabhängiger Lokaljournalismus</h4><p>Guter Journalismus kostet Geld. Mit Ihrem Beitrag sichern Sie unsere Arbeit vor Ort.</p><a href="/abo">Jetzt unterstützen</a></div>
<div class="author-box"><p>Anna Muster schreibt seit 2015 über Lokalpolitik, Verkehr und Stadtentwicklung und hat zuvor in Hamburg volontiert.</p></div>
</article></main><footer><p>© Beispielzeitung</p></footer></body></html>`

// TestCleanNoisyPage checks the generic cleaning on a page full of
// furniture: the article and its lead picture stay, the furniture goes,
// the embed is a one-line notice with a reference and the text goes on
// after it.
func TestCleanNoisyPage(t *testing.T) {
	a, err := Article("", []byte(noisyPage))
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.Document(a)
	for _, want := range []string{
		"# Stadtrat beschließt neuen Radweg",
		"Der Stadtrat hat am Dienstagabend", "Die Kosten von rund zwei Millionen Euro",
		"Nach dem Video diskutierten die Fraktionen", "Der Baubeginn hängt nun noch",
		"*Externer Inhalt (YouTube) [", "https://www.youtube.com/watch?v=abc123",
		"**Bild** [", "*Der neue Radweg soll entlang der Hauptstraße führen.* (Bild: Max Bild/dpa)",
		"URL dieses Artikels:", "Links in diesem Artikel:",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, noise := range []string{
		"Cookies", "Akzeptieren", "personenbezogene", "Einstellungen verwalten", "Startseite", "Stand:", "Lesedauer", "Empfohlener", "erlauben", "einverstanden",
		"Lesen Sie auch", "Bahnhof", "Newsletter", "WhatsApp", "Guter Journalismus", "Jetzt unterstützen",
		"schreibt seit 2015", "Von:", "Image", "datenschutz",
	} {
		if strings.Contains(md, noise) {
			t.Errorf("Markdown keeps %q:\n%s", noise, md)
		}
	}
	if want := (&article.Figure{Image: "https://img.example.de/radweg-800x450.jpg", Alt: "Radweg an der Hauptstraße",
		Caption: "Der neue Radweg soll entlang der Hauptstraße führen.", Credit: "Max Bild/dpa"}); a.Hero == nil ||
		a.Hero.Image != want.Image || a.Hero.Caption != want.Caption || a.Hero.Credit != want.Credit {
		t.Errorf("Hero = %+v, want the page's figure %+v", a.Hero, want)
	}
	if !slices.Equal(a.Authors, []string{"Anna Muster"}) {
		t.Errorf("Authors = %q, want [Anna Muster] (not the e-mail address, without \"Von:\")", a.Authors)
	}
	if a.Title != "Stadtrat beschließt neuen Radweg" || a.Site != "Beispielzeitung" || a.Lang != "de" {
		t.Errorf("Title, Site, Lang = %q, %q, %q", a.Title, a.Site, a.Lang)
	}
}

func TestSplitCredit(t *testing.T) {
	for _, tc := range []struct{ in, caption, credit string }{
		{"Caption text. Foto: Max Bild/dpa", "Caption text.", "Max Bild/dpa"},
		{"Kawasaki wie 2024, Foto: LAT Images", "Kawasaki wie 2024", "LAT Images"},
		{"Bereit für den Kampf. © Zac Goodwin/PA/dpa", "Bereit für den Kampf.", "Zac Goodwin/PA/dpa"},
		{"Mario Voigt (CDU) und Björn Höcke (AfD)Quelle: Hannes P. Albert/dpa", "Mario Voigt (CDU) und Björn Höcke (AfD)", "Hannes P. Albert/dpa"},
		{"Spione festgenommen. (Symbolfoto: picture alliance/dpa | Hannes P Albert)", "Spione festgenommen.", "picture alliance/dpa | Hannes P Albert"},
		{"Uwe Schubert möchte Punkte sammeln. IMAGO/Nico Herbertz", "Uwe Schubert möchte Punkte sammeln.", "IMAGO/Nico Herbertz"},
		{"A tower at dusk. Photo: Jane Doe", "A tower at dusk.", "Jane Doe"},
		{"Protesters in Harare. Photograph: Jekesai Njikizana/AFP/Getty Images", "Protesters in Harare.", "Jekesai Njikizana/AFP/Getty Images"},
		{"Feuerwehrleute bei einer Übung | Bildquelle: WDR / Biernat", "Feuerwehrleute bei einer Übung", "WDR / Biernat"},
		{"Ein Bild ohne Nachweis. Es zeigt den Platz.", "Ein Bild ohne Nachweis. Es zeigt den Platz.", ""},
	} {
		a, err := Article("https://x.example/a", []byte(`<html lang="de"><body><article><h1>Titel des Beitrags</h1><p>`+
			strings.Repeat("Ein Satz des Artikels. ", 12)+`</p><figure><img src="https://x.example/i.jpg"><figcaption>`+tc.in+
			`</figcaption></figure><p>`+strings.Repeat("Noch ein Satz. ", 12)+`</p></article></body></html>`))
		if err != nil {
			t.Fatal(err)
		}
		var f *article.Figure
		if a.Hero != nil {
			f = a.Hero
		} else if len(a.Figures) > 0 {
			f = &a.Figures[0]
		}
		if f == nil || f.Caption != tc.caption || f.Credit != tc.credit {
			t.Errorf("caption %q: figure %+v, want caption %q, credit %q", tc.in, f, tc.caption, tc.credit)
		}
	}
}

// TestCleanPageDropsConsentByButtons checks that a consent panel whose
// class names say nothing goes by its buttons before readability runs,
// and that a button of the article's own text stays.
func TestCleanPageDropsConsentByButtons(t *testing.T) {
	doc, _, err := parseBounded([]byte(`<html><body><div class="ov-3"><div><p>Wir und unsere Partner verarbeiten
personenbezogene Daten und setzen Cookies.</p><button>Alle akzeptieren</button><button>Ablehnen</button></div></div>
<article><p>` + strings.Repeat("Ein Satz des Artikels über das Wetter. ", 20) + `</p><p>Wer mitmachen will, klickt auf
<button>Zustimmen</button> in der Umfrage unten.</p></article></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	cleanPage(doc, "de")
	text := dom.TextOf(doc)
	if strings.Contains(text, "personenbezogene") || strings.Contains(text, "Alle akzeptieren") {
		t.Errorf("consent panel kept: %q", text)
	}
	if !strings.Contains(text, "Ein Satz des Artikels") || !strings.Contains(text, "Wer mitmachen will") {
		t.Errorf("article text lost: %q", text)
	}
}

// TestCleanMoreNoise checks the furniture of the second pass: agency and
// copyright lines, who-did-what lines, teaser lists with bold topics, an
// inline teaser of another article, an author box marked by data
// attributes, an author line by its class, a forum disclaimer, a video
// teaser with its date and length, the contact form line and a newsletter
// box around an e-mail field; the paragraphs around them stay.
func TestCleanMoreNoise(t *testing.T) {
	para := func(s string) string { return "<p>" + strings.Repeat(s+" ", 3) + "</p>" }
	page := `<html lang="de"><head><title>Stromausfall in Berlin</title></head><body><main><article><h1>Stromausfall in Berlin</h1>` +
		`<h5 class="wp-block-ppi-authorline">Von Anna Sleegers, Frankfurt</h5>` +
		para("Am Dienstag erlebte Berlin einen der größten Stromausfälle seiner jüngsten Geschichte, Zehntausende Haushalte waren betroffen.") +
		`<ul><li><strong>Russische Drohnen:</strong> <a href="/politik/article1/drohnen.html">Auch in Deutschland versteckt? Experten warnen</a></li>` +
		`<li><strong>Kinderschutz als Vorwand?</strong> <a href="/politik/article2/neonazis.html">Warum Neonazis Jäger spielen</a></li></ul>` +
		para("Die Polizei geht von einem Brandanschlag aus, die Ermittlungen führt der Staatsschutz, sagte eine Sprecherin am Abend.") +
		`<div class="c-inline-teaser"><div class="c-inline-teaser__image"><img src="/t.jpg" alt="Bankentürme"></div><span class="topic">Leonhard Fischer</span>` +
		`<a href="/wirtschaft/plus1/Banker-Fischer.html">„Immer mehr Geld aus dem Nichts“</a></div>` +
		`<div class="c1"><div class="still"><picture><img src="/video-still.jpg" alt="Der Politikwissenschaftler im Studio"></picture></div>` +
		`<p>Der Politikwissenschaftler hält die Auswirkung der Sanktionen für begrenzt. 17.04.2024 | 6:00 min</p></div>` +
		para("Erst am Mittwochmorgen hatten die meisten Haushalte wieder Strom, die Schulen öffneten mit Verspätung.") +
		`<p>Quelle: dpa</p><p>(Quelle: APA/sda/dpa)</p><p>© dpa-infocom, dpa:240516-99-53606/3 (dpa)</p>` +
		`<p>Copyright © AFP 2017-2026. Für die kommerzielle Nutzung dieses Inhalts ist ein Abonnement erforderlich. Klicken Sie hier für weitere Informationen.</p>` +
		`<p>Redaktion: Marcus Bensmann, Elena Müller Faktencheck: Marcus Bensmann</p>` +
		`<p>ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: 4.4.18</p>` +
		`<div class="atc-ContainerInfo" data-author-id="1.1104528" data-author-name="Ralf Euler"><p><a href="/redaktion/ralf-euler">Ralf Euler</a></p>` +
		`<p>Redakteur in der Rhein-Main-Zeitung.</p></div>` +
		`<p>Gerne als Leserkommentar unter dem Text oder über das <a href="/kontakt">Kontaktformular</a>.</p>` +
		`<p>Die Kommentare im Forum geben nicht notwendigerweise die Meinung der Redaktion wieder. Die Redaktion behält sich vor, Kommentare, welche ` +
		`straf- oder zivilrechtliche Normen verletzen, den guten Sitten widersprechen oder sonst dem Ansehen des Mediums zuwiderlaufen, zu entfernen.</p>` +
		`<p>Service Navigation</p>` +
		`<p>... ist Senior Fellow bei der Münchner Sicherheitskonferenz. Von 2004 bis 2006 lehrte er in St. Petersburg.</p>` +
		`<div class="grid"><section aria-label="Anmeldung"><h3>Hauptstadt Inside von Jörg Quoos</h3><p>Hinter den Kulissen der Politik.</p>` +
		`<form action="/nl"><input type="email" name="email"><button type="submit">Los</button></form><p>Mit meiner Anmeldung stimme ich zu.</p></section></div>` +
		`</article></main></body></html>`
	a, err := Article("https://example.org/strom", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.Document(a)
	requireContains(t, md, "Am Dienstag erlebte Berlin", "Die Polizei geht von einem Brandanschlag aus", "Erst am Mittwochmorgen")
	requireAbsent(t, md, "Anna Sleegers", "Drohnen", "Neonazis", "Leonhard Fischer", "Nichts", "6:00 min", "video-still", "Quelle", "dpa-infocom", "AFP",
		"Bensmann", "Erstveröffentlichung", "Ralf Euler", "Rhein-Main", "Kontaktformular", "Meinung der Redaktion", "Service Navigation",
		"Hauptstadt Inside", "Hinter den Kulissen", "Senior Fellow")
}

// TestInfoBoxInAside checks that an info box the page sets in an <aside>
// (paragraphs of explanation) stays in the article, while an aside of
// links to other articles goes.
func TestInfoBoxInAside(t *testing.T) {
	para := func(s string) string { return "<p>" + strings.Repeat(s+" ", 4) + "</p>" }
	page := `<html lang="de"><head><title>KI in der Schule</title></head><body><article><h1>KI in der Schule</h1>` +
		para("Im Unterricht der Grundschule erstellt der Lehrer seine Arbeitsblätter inzwischen mit einem Sprachmodell.") +
		`<aside class="flex px-6"><div><span>Info</span><b>Neuronales Netz wird mit Daten trainiert</b>` +
		para("Ein weit verbreiteter Vertreter von KI-Modellen sind neuronale Netze, ihr Vorbild ist das Gehirn.") + `</div></aside>` +
		para("Die Schüler merken davon wenig, sagt er, nur die Aufgaben seien bunter geworden als früher.") +
		`<aside class="more"><h3>Mehr aus der Region</h3><ul><li><a href="/a">Neuer Bahnhof verzögert sich weiter</a></li>` +
		`<li><a href="/b">Busfahrplan ändert sich im Sommer</a></li></ul></aside>` +
		para("Am Ende der Stunde sammelt er die Blätter wieder ein und bespricht die Ergebnisse mit der Klasse.") +
		`</article></body></html>`
	a, err := Article("https://example.org/ki", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.Document(a)
	requireContains(t, md, "neuronale Netze", "Die Schüler merken", "Am Ende der Stunde")
	requireAbsent(t, md, "Bahnhof", "Busfahrplan")
}

// TestCleanNoiseInsideFoldedDiv checks that a newsletter box wrapped in a
// plain div goes: readability folds the wrapper into the box and gives the
// box the wrapper's class, which would hide its own.
func TestCleanNoiseInsideFoldedDiv(t *testing.T) {
	para := "<p>The council voted on Tuesday to build a new cycle lane along the main street, a project that has been debated for years by residents and shop owners alike.</p>\n"
	page := `<!DOCTYPE html><html lang="en"><head><title>Council backs cycle lane</title></head><body><main><article>
<h1>Council backs cycle lane</h1>` + strings.Repeat(para, 4) + `
<div class="body-component"><div class="newsletter-wrapper"><p>Sign up for Town Hall, our weekly briefing.</p>
<div class="plans"><div class="plan"><h2>Monthly</h2><p>$7 a month, cancel anytime.</p></div>
<div class="plan"><h2>Annual</h2><p>$70 a year for the whole team.</p></div></div></div></div>
` + strings.Repeat(para, 3) + `</article></main></body></html>`
	a, err := Article("", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Body, "The council voted on Tuesday") {
		t.Errorf("article text lost:\n%s", a.Body)
	}
	for _, noise := range []string{"Sign up", "Monthly", "$7", "Annual"} {
		if strings.Contains(a.Body, noise) {
			t.Errorf("body keeps the newsletter box's %q:\n%s", noise, a.Body)
		}
	}
}

// TestCleanBylineLeavesNoLabel checks that removing a byline's marked name
// also removes the label left alone in its block ("Por", "By").
func TestCleanBylineLeavesNoLabel(t *testing.T) {
	para := "<p>The council voted on Tuesday to build a new cycle lane along the main street, a project that has been debated for years by residents and shop owners alike.</p>\n"
	page := `<!DOCTYPE html><html lang="en"><head><title>Council backs cycle lane</title></head><body><main><article>
<h1>Council backs cycle lane</h1>` + strings.Repeat(para, 3) + `
<p><span>By <span class="last-byline">Jane Roe</span></span></p>
<p class="note">Por <span class="byline-name">Juan Pérez</span>:</p>
` + strings.Repeat(para, 3) + `</article></main></body></html>`
	a, err := Article("", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(a.Body, "\n") {
		if l := strings.TrimSpace(line); l == "By" || l == "Por:" || l == "Por" {
			t.Errorf("a byline's label is left alone: %q in\n%s", l, a.Body)
		}
	}
	if strings.Count(a.Body, "The council voted") != 6 {
		t.Errorf("article text lost:\n%s", a.Body)
	}
}
