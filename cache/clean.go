package cache

import (
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch"
)

// cleanText is fetch.CleanText with a fast path: text without any of the
// characters CleanText changes is returned as is. fetch.CleanText's own
// check gives up at the first non-ASCII byte, so German text (umlauts)
// always took the slow path; this check knows which runes matter.
func cleanText(s string) string {
	if !needsClean(s) {
		return s
	}
	return fetch.CleanText(s)
}

// needsClean reports whether s may hold something fetch.CleanText
// changes: control characters, escape sequences, invisible and bidi
// characters, unusual spaces, line separators or invalid UTF-8. It errs on
// the side of true.
func needsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError, r < 0xa0: // invalid UTF-8, C1 controls
			return true
		case r == 0xa0, r == 0xad, r == 0x61c, r == 0x1680, r == 0x3000, r == 0xfeff:
			return true
		case r >= 0x2000 && r <= 0x200f, r >= 0x2028 && r <= 0x202f, r >= 0x205f && r <= 0x206f, r >= 0xfff9 && r <= 0xfffb:
			return true
		}
	}
	return false
}
