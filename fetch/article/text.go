package article

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText makes untrusted text from the network safe to store and print:
// it drops terminal escape sequences (CSI, OSC, DCS and the rest) and control
// characters, turns NBSP and other space separators into plain spaces,
// removes invisible format characters (zero-width, bidi controls, Unicode
// tags; see IsInvisible), and replaces invalid UTF-8.
// Newlines and tabs are kept; carriage returns become newlines.
func CleanText(s string) string {
	if isClean(s) {
		return s
	}
	return cleanSlow(s)
}

// cleanSlow is CleanText without the fast path.
func cleanSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune('\uFFFD')
			i++
			continue
		}
		switch {
		case r == 0x1b: // ESC: skip the whole sequence
			i = SkipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f || r == 0x98: // C1 OSC, DCS, PM, APC, SOS
			i = skipString(s, i+size)
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				break // CRLF: the \n follows
			}
			b.WriteByte('\n')
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			// other C0 and C1 controls: drop
		case IsInvisible(r):
			// zero-width and bidi controls: drop
		case r == '\u00a0' || r == '\u202f' || (r != ' ' && unicode.Is(unicode.Zs, r)):
			b.WriteByte(' ')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isClean reports whether s needs no change, the common case (German text
// included), without allocating.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsClean(r, size) {
			return false
		}
		i += size
	}
	return true
}

// needsClean reports whether the non-ASCII rune r, decoded from size
// bytes, is one CleanText changes: an invalid byte, a C1 control, a space
// other than the ASCII one, a line or paragraph separator, or an invisible
// format character.
func needsClean(r rune, size int) bool {
	return r == utf8.RuneError && size <= 1 || r < 0xa0 || r == '\u00a0' || r == '\u202f' ||
		r == '\u2028' || r == '\u2029' || IsInvisible(r) || unicode.Is(unicode.Zs, r)
}

// IsInvisible reports whether r is a format character that shows nothing
// yet changes what text means or how it is laid out, and so can hide or
// reorder text: zero-width characters, bidi controls, the soft hyphen,
// the invisible math operators (U+2061–2064), the deprecated format
// characters (U+206A–206F), interlinear annotation (U+FFF9–FFFB), the
// musical format characters (U+1D173–1D17A) and the Unicode tag characters
// (U+E0000–E007F), which can smuggle a whole invisible ASCII text. Tags
// also spell the subdivision flags (England, Scotland, Wales); those
// become a plain black flag. Variation selectors (U+FE00–FE0F,
// U+E0100–E01EF) are kept: they only pick a glyph (text or emoji style)
// for the character before them.
func IsInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad',
		'\u200e', '\u200f', '\u061c':
		return true
	}
	if r < '\u2000' {
		return false
	}
	return (r >= '\u2061' && r <= '\u2064') || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u206f') ||
		(r >= '\ufff9' && r <= '\ufffb') || (r >= 0x1d173 && r <= 0x1d17a) || (r >= 0xe0000 && r <= 0xe007f)
}

// SkipEscape skips an escape sequence whose ESC byte ended just before i.
func SkipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '^', '_', 'X':
		return skipString(s, i+1)
	}
	// two-byte or nF sequence: intermediates 0x20-0x2f, then one final byte
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameters and intermediates up to and including the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c >= 0x80 {
			return i - 1 // malformed: stop before the foreign byte
		}
	}
	return i
}

// skipString skips an OSC/DCS/PM/APC/SOS payload up to BEL, ST (ESC \) or C1 ST.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0x1b:
			return i // a new sequence starts; let the caller handle it
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}

// CleanLine is CleanText for one-line fields (titles, names): it also folds
// every run of white space, newlines included, into one space and trims.
func CleanLine(s string) string {
	if cleanLine(s) {
		return s // most titles, names and URLs: one pass, no copy
	}
	s = CleanText(s)
	if singleSpaced(s) {
		return s // most titles and names: no copy (a sync cleans 50,000 and more)
	}
	if t := strings.TrimSpace(s); singleSpaced(t) {
		return t // space only at the ends, as HTML turned into text has
	}
	return strings.Join(strings.Fields(s), " ")
}

// cleanLine reports whether CleanLine(s) is s: isClean(s) and
// singleSpaced(s) in one pass.
func cleanLine(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == ' ' && s[i+1] == ' ' { // s does not end in a space
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0xc0 && r <= 0x24f {
			i += size // Latin letters (and × ÷): no space, nothing invisible
			continue
		}
		if needsClean(r, size) || unicode.IsSpace(r) {
			return false
		}
		i += size
	}
	return true
}

// singleSpaced reports whether strings.Join(strings.Fields(s), " ") is s:
// no white space at either end, none but single ASCII spaces inside.
func singleSpaced(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if s[i+1] == ' ' { // s does not end in a space
					return false
				}
			case '\t', '\n', '\v', '\f', '\r':
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		i += size
	}
	return true
}
