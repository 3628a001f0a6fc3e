package eval

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// ExtractFunc is the extraction under test (extract.Article).
type ExtractFunc func(pageURL string, page []byte) (article.Article, error)

// Score is the result for one page.
type Score struct {
	Page, Kind string
	Err        error // extraction failed; the page scores zero
	// P, R and F1 compare the bag of words of the extracted lead and body
	// (figures left out for news pages, where captions are scored on
	// their own) with the expected text.
	P, R, F1          float64
	Title, WantTitle  string
	TitleOK           bool
	Authors, WantAuth []string
	AuthorsOK         bool
	// LeadCaption is 0 when the page's lead picture has no expected
	// caption, 1 when the extraction shows it as the lead picture's
	// caption, -1 when it does not.
	LeadCaption int
	LeadCredit  int // the same for the lead picture's credit
	// Captions counts the expected captions of inline pictures and
	// CaptionsKept those an extracted figure shows as its caption.
	Captions, CaptionsKept int
	// Credits counts the expected credits of inline pictures that have a
	// caption, CreditsSplit those an extracted figure shows as its credit,
	// apart from its caption.
	Credits, CreditsSplit int
	// FigureMisses describes each expected caption or credit that was not
	// kept, with the figures kiosk made (for -figures).
	FigureMisses   []string
	German         bool     // an expected German page
	EnglishLabels  []string // English labels shown on a German page
	Missing, Extra []string // the commonest words lost and added
	Dur            time.Duration
}

// Evaluate extracts one page and scores it. The time is that of the
// extraction and the Markdown rendering.
func Evaluate(p Page, extract ExtractFunc) Score {
	s := Score{Page: p.Name, Kind: p.Kind, WantTitle: p.Want.Title, WantAuth: p.Want.Authors}
	s.German = p.Want.Lang == "de"
	start := time.Now()
	a, err := extract(p.URL, p.HTML)
	var md, pt string
	if err == nil {
		md = markdown.Document(a)
		pt = markdown.PrintText(a, 80)
	}
	s.Dur = time.Since(start)
	if err != nil {
		s.Err = err
		s.LeadCaption = leadCaptionWanted(p.Want)
		if s.LeadCaption != 0 {
			s.LeadCaption = -1
		}
		return s
	}
	got := articleText(a, p.Kind == KindReadability)
	want := strings.Join(append(append([]string(nil), p.Want.Lead...), p.Want.Body...), "\n")
	s.P, s.R, s.F1, s.Missing, s.Extra = compareWords(tokens(got), tokens(want))
	s.Title = a.Title
	s.TitleOK = norm(a.Title) == norm(p.Want.Title)
	s.Authors = a.Authors
	s.AuthorsOK = sameNames(a.Authors, p.Want.Authors)
	if p.Kind == KindReadability {
		// Readability's expectations keep the <title>'s site suffix
		// ("| eHow", "[LWN.net]"), which kiosk strips on purpose, and its
		// byline as one string.
		s.TitleOK = s.TitleOK || withSuffix(norm(p.Want.Title), norm(a.Title))
		s.AuthorsOK = s.AuthorsOK || norm(strings.Join(a.Authors, ", ")) == norm(strings.Join(p.Want.Authors, ", "))
	}
	s.scoreImages(a, p.Want)
	if s.German {
		for _, w := range englishLabels {
			if strings.Contains(md, w) || strings.Contains(pt, w) {
				s.EnglishLabels = append(s.EnglishLabels, w)
			}
		}
	}
	return s
}

// englishLabels are kiosk's English words, which a German page must not show.
var englishLabels = []string{"URL of this article", "Links in this article", "**Image**", "Image:", "All pages of this article", "Note: this is only the free part"}

// leadCaptionWanted is 1 when the expected lead picture has a caption.
func leadCaptionWanted(w Expected) int {
	for _, im := range w.Images {
		if im.Cover && strings.TrimSpace(im.Caption) != "" {
			return 1
		}
	}
	return 0
}

// scoreImages scores the lead picture's caption and credit and the inline captions.
func (s *Score) scoreImages(a article.Article, w Expected) {
	var figs []article.Figure
	if a.Hero != nil {
		figs = append(figs, *a.Hero)
	}
	figs = append(figs, a.Figures...)
	for _, im := range w.Images {
		if strings.TrimSpace(im.Caption) == "" {
			continue
		}
		if im.Cover {
			s.LeadCaption = -1
			lead := leadFigure(a)
			if lead != nil && similar(shownCaption(*lead), im.Caption) {
				s.LeadCaption = 1
			}
			if strings.TrimSpace(im.Credit) != "" {
				s.LeadCredit = -1
				if lead != nil && creditSplit(*lead, im.Credit) {
					s.LeadCredit = 1
				}
			}
			continue
		}
		s.Captions++
		var kept *article.Figure
		for i := range figs {
			if similar(shownCaption(figs[i]), im.Caption) {
				kept = &figs[i]
				break
			}
		}
		if kept != nil {
			s.CaptionsKept++
		}
		credit := strings.TrimSpace(im.Credit) != ""
		if credit {
			s.Credits++
			if kept != nil && creditSplit(*kept, im.Credit) {
				s.CreditsSplit++
				credit = false
			}
		}
		if kept == nil || credit {
			s.FigureMisses = append(s.FigureMisses, fmt.Sprintf("want caption %q credit %q", clip(im.Caption), im.Credit))
		}
	}
	if s.LeadCaption < 0 || s.LeadCredit < 0 {
		for _, im := range w.Images {
			if im.Cover {
				s.FigureMisses = append(s.FigureMisses, fmt.Sprintf("want lead caption %q credit %q", clip(im.Caption), im.Credit))
			}
		}
	}
	if len(s.FigureMisses) > 0 {
		for i, f := range figs {
			name := "figure"
			if i == 0 && a.Hero != nil {
				name = "hero"
			}
			s.FigureMisses = append(s.FigureMisses, fmt.Sprintf("  got %s caption %q credit %q alt %q", name, clip(f.Caption), f.Credit, clip(f.Alt)))
		}
	}
}

// creditSplit reports whether f shows credit as its credit, not inside its caption.
func creditSplit(f article.Figure, credit string) bool {
	return similar(f.Credit, credit) && !strings.Contains(norm(f.Caption), norm(credit))
}

// clip shortens s to about 70 characters for the report.
func clip(s string) string {
	if r := []rune(s); len(r) > 70 {
		return string(r[:70]) + "…"
	}
	return s
}

// shownCaption is what kiosk shows as a figure's caption: the caption, or
// the alt text when there is none (file names are already dropped).
func shownCaption(f article.Figure) string {
	if f.Caption != "" {
		return f.Caption
	}
	return f.Alt
}

// leadFigure is the article's lead picture: the hero, else the first
// figure when the body starts with it.
func leadFigure(a article.Article) *article.Figure {
	if a.Hero != nil {
		return a.Hero
	}
	if len(a.Figures) > 0 && strings.HasPrefix(strings.TrimSpace(a.Body), "**") {
		return &a.Figures[0]
	}
	return nil
}

// similar reports whether two short texts say the same: word F1 of at
// least 0.8, so that punctuation, a trailing credit or quotes do not count.
func similar(got, want string) bool {
	if strings.TrimSpace(got) == "" {
		return false
	}
	_, _, f1, _, _ := compareWords(tokens(got), tokens(want))
	return f1 >= 0.8
}

// norm folds white space, quotes and dashes and lower-cases, for exact
// comparisons that should not fail on typography.
func norm(s string) string {
	s = strings.NewReplacer("\u00a0", " ", "“", "\"", "”", "\"", "„", "\"", "«", "\"", "»", "\"", "‘", "'", "’", "'", "–", "-", "—", "-", "\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "").Replace(s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// withSuffix reports whether want is title followed by a separator and
// more text: a site suffix.
func withSuffix(want, title string) bool {
	rest, ok := strings.CutPrefix(want, title)
	rest = strings.TrimSpace(rest)
	return ok && title != "" && rest != "" && strings.ContainsRune("|-:·/[(»•", []rune(rest)[0])
}

// sameNames reports whether two author lists name the same people, in any order.
func sameNames(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]int{}
	for _, g := range got {
		seen[norm(g)]++
	}
	for _, w := range want {
		if seen[norm(w)] == 0 {
			return false
		}
		seen[norm(w)]--
	}
	return true
}

// figureLine matches the line of a figure in kiosk's Markdown.
var figureLine = regexp.MustCompile(`^[\s>*+\-\d.]*\*\*(Bild|Image)\*\*`)

// refMarker matches the reference markers of kiosk's Markdown.
var refMarker = regexp.MustCompile(`\[\d+\]`)

// listNumber matches the number of an ordered list item in kiosk's
// Markdown (also inside a quote or another list), which the expected
// text, an HTML <ol>, does not hold as text; a number the page wrote is
// escaped ("1\. Finland") and stays.
var listNumber = regexp.MustCompile(`^([\s>]*(?:[-*+]\s+|\d+\.\s+)*)\d+\.\s`)

// articleText is the lead and body of a as plain text. Figure blocks are
// left out; with withCaptions (readability's expectations keep captions in
// the text) the captions of the lead picture and the inline figures are
// added with their credits (which kiosk shows beside them), never their
// labels.
func articleText(a article.Article, withCaptions bool) string {
	var b strings.Builder
	b.WriteString(a.Lead)
	b.WriteString("\n")
	fence := "" // the fence of the code block the line is in
	for _, line := range strings.Split(a.Body, "\n") {
		if t := strings.TrimLeft(line, " >"); fence == "" && strings.HasPrefix(t, "```") {
			fence = strings.TrimRight(t, " ")
		} else if fence != "" && strings.TrimLeft(line, " >") == fence {
			fence = ""
		}
		if fence == "" && figureLine.MatchString(line) {
			continue // a figure, also inside a list or a quote
		}
		if fence == "" {
			line = listNumber.ReplaceAllString(line, "$1")
		}
		b.WriteString(refMarker.ReplaceAllString(line, " "))
		b.WriteString("\n")
	}
	if withCaptions {
		if a.Hero != nil {
			b.WriteString(a.Hero.Caption + " " + a.Hero.Credit + "\n")
		}
		for _, f := range a.Figures {
			b.WriteString(f.Caption + " " + f.Credit + "\n")
		}
	}
	return b.String()
}

// tokens splits text into lower-case words; every CJK character is a word
// of its own.
func tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		cjk := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		if (!word || cjk) && start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
		if cjk {
			out = append(out, string(r))
			continue
		}
		if word && start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

// compareWords compares two bags of words: precision and recall of their
// overlap, F1, and up to 8 of the commonest words missing and extra.
func compareWords(got, want []string) (p, r, f1 float64, missing, extra []string) {
	if len(got) == 0 && len(want) == 0 {
		return 1, 1, 1, nil, nil
	}
	cg, cw := map[string]int{}, map[string]int{}
	for _, t := range got {
		cg[t]++
	}
	for _, t := range want {
		cw[t]++
	}
	common := 0
	for t, n := range cg {
		common += min(n, cw[t])
	}
	if len(got) > 0 {
		p = float64(common) / float64(len(got))
	}
	if len(want) > 0 {
		r = float64(common) / float64(len(want))
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	missing = topDiff(cw, cg)
	extra = topDiff(cg, cw)
	return p, r, f1, missing, extra
}

// topDiff returns up to 8 words that a has more often than b, commonest first.
func topDiff(a, b map[string]int) []string {
	type wc struct {
		w string
		n int
	}
	var d []wc
	for w, n := range a {
		if k := n - b[w]; k > 0 && len([]rune(w)) > 3 {
			d = append(d, wc{w, k})
		}
	}
	// selection of the 8 largest, ties by word for stable output
	var out []string
	for len(out) < 8 && len(d) > 0 {
		best := 0
		for i := range d {
			if d[i].n > d[best].n || (d[i].n == d[best].n && d[i].w < d[best].w) {
				best = i
			}
		}
		out = append(out, d[best].w)
		d[best] = d[len(d)-1]
		d = d[:len(d)-1]
	}
	return out
}
