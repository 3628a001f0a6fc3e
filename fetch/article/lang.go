package article

import "strings"

// LangCounter guesses whether a text is German or English by counting the
// commonest short words of each in its first MaxLangWords words. Feed it
// pieces of text with Add; Lang says "de", "en" or "" when neither clearly
// wins.
type LangCounter struct {
	de, en, words int
}

// MaxLangWords is the number of words a LangCounter looks at.
const MaxLangWords = 400

// Full reports whether the counter has seen enough words.
func (c *LangCounter) Full() bool { return c.words >= MaxLangWords }

// Add counts the words of s (up to MaxLangWords in all).
func (c *LangCounter) Add(s string) {
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == 'ü' || r == 'ä' || r == 'ö' || r == 'ß')
	}) {
		if c.Full() {
			return
		}
		c.words++
		switch strings.ToLower(w) {
		case "der", "die", "das", "und", "ist", "nicht", "mit", "sich", "auf", "für", "dem", "den", "ein", "eine", "auch", "wird", "von", "zu", "im", "bei", "sind", "wie", "über":
			c.de++
		case "the", "and", "of", "to", "is", "that", "for", "with", "was", "on", "are", "it", "this", "by", "from", "be", "as", "have", "which":
			c.en++
		}
	}
}

// Lang is the guess so far: "de", "en", or "" when neither clearly wins
// (at least 5 of its words and more than twice the other's).
func (c *LangCounter) Lang() string {
	switch {
	case c.de >= 5 && c.de > 2*c.en:
		return "de"
	case c.en >= 5 && c.en > 2*c.de:
		return "en"
	}
	return ""
}

// TextLang guesses the language of texts (a title and a teaser, say), as
// LangCounter does; a short German teaser often has too few words to tell,
// so it takes a lower bar: 2 words and none of the other language's.
func TextLang(texts ...string) string {
	var c LangCounter
	for _, t := range texts {
		c.Add(t)
	}
	if l := c.Lang(); l != "" {
		return l
	}
	switch {
	case c.de >= 2 && c.en == 0:
		return "de"
	case c.en >= 2 && c.de == 0:
		return "en"
	}
	return ""
}
