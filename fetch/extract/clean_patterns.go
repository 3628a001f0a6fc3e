package extract

// The patterns of the generic cleaning (clean.go, clean_text.go): noise
// recognised by its words, in German and English. A new noise pattern
// goes here, into the list its kind belongs to; dropNoiseBlocks applies
// them to the text of short blocks, lower-cased, and says how short.

// agencyNames are the news agencies a source line names.
const agencyNames = `dpa|afp|ap|reuters|rtr|apa|sda|keystone-sda|epd|kna|ddp|dts|sid|kap|ots|ansa|efe|anp|belga|tass|xinhua|bloomberg|red`

// Noise recognised by its words. Each pattern matches the whole text of a
// short block (a paragraph, list item, heading or leaf div), so that a
// sentence of the article that mentions a newsletter is never taken.
var (
	// metaLine is a date, reading-time, comment-count or share line.
	metaLine = lazy(`^(` +
		`(stand|aktualisiert|veröffentlicht|erstellt|zuletzt aktualisiert|updated|published|last updated)( am| on)?:? .{0,60}|` +
		`.{0,40}\b(lesedauer|lesezeit|min\. lesezeit|minuten lesezeit|min read|minute read|reading time)\b.{0,40}|` +
		`\d+ (kommentare?|comments?)|kommentare?( \(\d+\))?|comments?( \(\d+\))?|` +
		`(diesen |den )?(artikel |beitrag )?(teilen|drucken|merken|vorlesen|anhören|hören|verschenken|vorlesen lassen)|share( this( article| story)?)?|print|` +
		`zur startseite|zurück zur startseite|skip advertisement|continue reading the main story|supported by|listen to (this )?(article|story)|follow us on .{1,40}|` +
		`zur merkliste|link kopieren|copy link|feedback|` +
		`.{0,80}\b(erstveröffentlichung|erstmals veröffentlicht|first published):? \d.{0,20}|` +
		`\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(\s?,?\s?(\||um )?\s?\d{1,2}[:.]\d{2}( uhr)?)?|` +
		`\d{1,2}\. [a-zäöü]+ \d{4}(,? (\||um )?\d{1,2}[:.]\d{2}( uhr)?)?|` +
		`\d[\d\s.,:/|-]*|[/|·•–-]+|` + // numbers only (IDs, counters), separators only
		`((service|bereichs|haupt|sub)? ?navigation|zum inhalt springen|springe zum (inhalt|hauptinhalt)|skip to (main )?content|` +
		`(weitere informationen )?ende der weiteren informationen|weitere informationen|ende des (artikels|beitrags)|` +
		`ein klick für den datenschutz|anzeige|werbung|advertisement|sponsored|zitiervorschlag|infos zum zitiervorschlag|cite this article|how to cite( this article)?|` +
		`forum:? \d+ postings?|ihre meinung( zählt)?\.?|diskutieren sie mit\.?|leserkommentare|join the (conversation|discussion))` +
		`)$`)
	// shareWords are the names a share bar is made of.
	shareWords = map[string]bool{
		"teilen": true, "share": true, "facebook": true, "twitter": true, "x": true, "whatsapp": true, "linkedin": true,
		"xing": true, "e-mail": true, "email": true, "mail": true, "pocket": true, "flipboard": true, "reddit": true,
		"telegram": true, "threads": true, "bluesky": true, "mastodon": true, "drucken": true, "print": true,
		"kopieren": true, "messenger": true, "pinterest": true,
	}
	// relatedHeading introduces links to other articles.
	relatedHeading = lazy(`^(` +
		`lesen sie (auch|mehr|hier)|mehr (zum thema|zu diesem thema|dazu|lesen|artikel|nachrichten)|auch interessant|` +
		`das könnte sie (auch )?interessieren|weitere (artikel|nachrichten|themen|beiträge|meldungen)|` +
		`zum (artikel|thema|weiterlesen)|empfehlungen( der redaktion)?|verwandte (artikel|themen)|` +
		`meistgelesen|meist gelesen|top-?themen|aktuelle (nachrichten|artikel)|neueste (artikel|nachrichten|beiträge)|` +
		`related( articles| stories| content| coverage)?|read (more|next|also)|more (on this|from|stories|news)|` +
		`recommended( for you| stories)?|you (might|may) (also )?like|most (read|popular)|trending|` +
		`weitere (videos|podcasts|bildergalerien)|mehr videos|news & schlagzeilen|.{0,30}\blese-?empfehlung(en)?|` +
		`.{0,100}\b(in unserem|im|zum) (liveblog|newsblog|newsticker|ticker)\W*|liveblog|newsblog|newsticker` +
		`)\b.{0,80}$`)
	// boxText is a newsletter, subscription or donation box.
	boxText = lazy(`\b(` +
		`newsletter.{0,120}(abonnieren|anmelden|bestellen|registrieren|sign up|subscribe)|` +
		`(abonnieren|anmelden|sign up|subscribe).{0,80}newsletter|` +
		`jetzt (spenden|unterstützen|abonnieren|abo|testen|weiterlesen|kostenlos)|` +
		`unterstützen sie (uns|unsere|unabhängigen|den|jetzt)|` +
		`(mit einer spende|spenden sie|ihre spende)|` +
		`support (us|our journalism|independent)|become a (member|subscriber|supporter)|` +
		`(subscribe|sign up) (now|today|to our)|` +
		`abonnieren sie (den|unseren|unsere) (podcast|newsletter|kanal)|hier (können sie|kannst du) .{0,40}(podcasts?|newsletter) (hören|abonnieren|bestellen)|` +
		`fehler .{0,30}entdeckt|inhaltliches feedback|mit der anmeldung (willigen|stimmen) sie|kommentare im forum|die redaktion behält sich vor|netiquette|community-richtlinien|wir freuen uns über (eine mail|ihre nachricht|ihr feedback)|das kontaktformular` +
		`)\b`)
	// forumNote is the disclaimer under a comment section.
	forumNote = lazy(`\b(die redaktion behält sich vor|geben nicht (notwendigerweise|unbedingt|zwingend) die meinung der redaktion wieder|` +
		`do not (necessarily )?reflect the (views|opinions?) of)\b`)
	// sourceLine is an agency or copyright line under the text ("Quelle:
	// dpa", "(Quelle: APA/sda/dpa)", "© dpa-infocom, dpa:240516-99-53606/3
	// (dpa)", "Copyright © AFP 2017-2026. …", "© The Financial Times Ltd.").
	sourceLine = lazy(`^(` +
		`\(?(quelle|quellen|mit material (von|der)|material von|source|sources|with material from)\s*:?\s*(` + agencyNames + `)([\s/,;&+|]+(und |and )?(` + agencyNames + `))*\s*\)?\.?|` +
		`(copyright\s*)?(©|\(c\)|copyright)\s?[^.]{1,80}(\.[^.]{0,160}){0,3}` +
		`)$`)
	// creditLine names who made the piece ("Redaktion: X, Y Faktencheck: X",
	// "Text und Fotos: X"), which is the byline's business.
	creditLine = lazy(`^(((redaktion|faktencheck|recherche|mitarbeit|grafiken?|gestaltung|illustrationen?|schlussredaktion|lektorat|` +
		`datenanalyse|datenrecherche|programmierung|produktion|text|texte|fotos?|video|text und fotos|edited by|editing|reporting|additional reporting|graphics|design|fact-?check(ing)?)` +
		`\s*:\s*[^:]{2,80}?\s*)+)$`)
	// videoTeaser is a video's teaser text ending in its date and length
	// ("… 17.04.2024 | 6:00 min").
	videoTeaser = lazy(`\d{1,2}\.\d{1,2}\.\d{4} \| \d{1,2}:\d{2} min\.?$`)
	// podcastBox is a longer promotion of a podcast or newsletter.
	podcastBox = lazy(`\babonnieren sie (den|unseren|unsere) (podcast|newsletter|kanal)\b`)
	// citeLine is a suggestion how to cite the article itself.
	citeLine = lazy(`\bin: .{0,120}\(abgerufen am:? \d`)
	// bioText starts an author's biography.
	bioText = lazy(`^(über (den autor|die autorin|die autoren|unsere autoren)|zur person|about the authors?)\b|` +
		`^(\.\.\.|…) (ist|war|arbeitet|forscht|lehrt|leitet|is|was|works) `) // "... ist Senior Fellow": a portrait box under the name
	// embedText is the placeholder of an embedded post or video.
	embedText = lazy(`(?i)` +
		`empfohlener redaktioneller inhalt|externer inhalt|externe inhalte|inhalte? von [^.]{2,40} (erlauben|anzeigen|laden|zulassen|aktivieren)|` +
		`ich bin damit einverstanden, dass mir (externe )?inhalte|ein klick für den datenschutz|erst wenn sie hier klicken|` +
		`(werden|wird) (die |der |das )?(grafiken?|inhalte?|daten|karte|video|umfrage) (erst )?nachgeladen|` +
		`zustimmung.{0,60}(externe|drittanbieter|dritt)|um eingebettete inhalte anzuzeigen|einwilligung in die übermittlung|` +
		`um (diesen|den|externe) inhalt.{0,60}(anzuzeigen|zu sehen|zu laden)|an dieser stelle (findest du|finden sie|ist) (einen |ein )?extern|` +
		`this content is (provided|hosted) by|click to (load|show) (the )?(content|video|embed)|` +
		`(enable|accept) (cookies|javascript|third.party).{0,40}(to (view|see|load))`)
	// newWindow is the screen-reader hint some sites put after links.
	newWindow = lazy(`(?i)\s*\((öffnet|oeffnet) (im|in einem) neuen (fenster|tab)\)|\s*\(opens in (a )?new (window|tab)\)|\s*\(externer link\)`)
)
