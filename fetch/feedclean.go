package fetch

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// maxFeedDepth bounds the element nesting of a feed that reaches the XML
// parser. Real feeds nest a few levels (rss, channel, item, an extension
// element, some XHTML in Atom content); 64 leaves ample room for inline
// XHTML while keeping gofeed's recursive extension parser far from its stack
// limit (two million nested elements overflowed it).
const maxFeedDepth = 64

// maxFeedItems caps the items or entries of one feed that reach the XML
// parser, in document order; the rest are dropped unparsed. gofeed holds
// about 1.5 KB per item, so 150,000 items took 220 MB; the cap (the largest
// max_items a config may set) keeps a feed's parse under 20 MB whatever it
// lists. Syncer then takes the newest max_items of those.
const maxFeedItems = 10000

// feedFix says what prepareFeed changed in a feed before parsing.
type feedFix struct {
	flattened bool // elements nested deeper than maxFeedDepth lost their tags (text kept)
	truncated bool // the document ended inside an element; cut after the last complete entry
	items     int  // items or entries in the document
	skipped   int  // of them, dropped unparsed beyond maxFeedItems
}

// prepareFeed makes a feed body safe and lenient for gofeed, in one pass
// that never recurses: a UTF-16 or UTF-32 body is decoded to UTF-8 (and its
// XML declaration told so), character references to characters XML forbids
// (&#x8;, &#27;) and raw control bytes are dropped instead of failing the
// whole feed, elements nested deeper than maxFeedDepth lose their tags
// (their text stays), and a document that ends before its root element
// closes is cut after its last complete item or entry and closed, so the
// complete entries before the break are kept. JSON passes through.
func prepareFeed(b []byte) ([]byte, feedFix) {
	var fix feedFix
	b = bytes.TrimSpace(bytes.TrimPrefix(feedToUTF8(b), []byte("\xef\xbb\xbf")))
	b = stripEscapes(b)
	if len(b) == 0 || b[0] != '<' {
		return b, fix
	}
	return scanFeedXML(b)
}

// feedToUTF8 decodes a body that starts with a UTF-32 or UTF-16 byte order
// mark, or with "<?" in UTF-16 without one, to UTF-8 and rewrites the
// encoding of its XML declaration. Anything else is returned unchanged.
func feedToUTF8(b []byte) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		enc = utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM) // the BOM says which end
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0x00, '<', 0x00, '?'}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(b, []byte{'<', 0x00, '?', 0x00}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	default:
		return b
	}
	dec, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return b // not what its first bytes promised: let the parser say so
	}
	return utf8Declaration(dec)
}

// utf8Declaration replaces the encoding named in a leading XML declaration
// with UTF-8, so that the parser does not decode the body a second time.
func utf8Declaration(b []byte) []byte {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return b
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return b
	}
	decl := b[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return b
	}
	j := i + len("encoding")
	for j < len(decl) && (decl[j] == ' ' || decl[j] == '=' || decl[j] == '\t') {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return b
	}
	k := bytes.IndexByte(decl[j+1:], decl[j])
	if k < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, decl[:i]...)
	out = append(out, `encoding="UTF-8"`...)
	out = append(out, b[j+1+k+1:]...)
	return out
}

// scanFeedXML is the XML part of prepareFeed: a byte scanner that knows
// tags, comments, CDATA sections, processing instructions and the doctype,
// and keeps a stack of open element names (end tags close up to the
// matching name, as a lenient parser does).
func scanFeedXML(b []byte) ([]byte, feedFix) {
	var fix feedFix
	out := make([]byte, 0, len(b)+64)
	var stack [][]byte // open elements whose tags were kept
	extra := 0         // open elements deeper than maxFeedDepth, tags dropped
	rootClosed := false
	// The last place a complete item or entry ended, and what was open then.
	lastEnd, lastStart := -1, -1
	var endStack, startStack [][]byte
	safe := 0 // len(out) after the last complete token
	// An item beyond maxFeedItems is scanned but cut from out once it closes.
	skipping, skipFrom, skipLevel := false, 0, 0

	i := 0
	for i < len(b) {
		c := b[i]
		switch {
		case c == '<':
			rest := b[i:]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				e := bytes.Index(rest[4:], []byte("-->"))
				if e < 0 {
					i = len(b)
					continue
				}
				n := 4 + e + 3
				out = append(out, rest[:n]...)
				i += n
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				e := bytes.Index(rest[9:], []byte("]]>"))
				if e < 0 {
					i = len(b)
					continue
				}
				n := 9 + e + 3
				out = appendXMLChars(out, rest[:n], false)
				i += n
			case bytes.HasPrefix(rest, []byte("<!")):
				n := doctypeEnd(rest)
				if n < 0 {
					i = len(b)
					continue
				}
				out = append(out, rest[:n]...)
				i += n
			case bytes.HasPrefix(rest, []byte("<?")):
				e := bytes.Index(rest[2:], []byte("?>"))
				if e < 0 {
					i = len(b)
					continue
				}
				n := 2 + e + 2
				out = append(out, rest[:n]...)
				i += n
			case len(rest) > 1 && rest[1] == '/':
				n := tagEnd(rest)
				if n < 0 {
					i = len(b)
					continue
				}
				name := tagName(rest[2:n])
				i += n
				if extra > 0 {
					extra--
					continue
				}
				k := len(stack) - 1
				for k >= 0 && !bytes.Equal(stack[k], name) {
					k--
				}
				if k < 0 {
					continue // closes nothing open: a lenient parser ignores it, so drop it
				}
				stack = stack[:k]
				out = append(out, rest[:n]...)
				if k == 0 {
					rootClosed = true
				}
				if skipping && k <= skipLevel {
					out, skipping = out[:skipFrom], false
					safe = len(out)
					continue
				}
				if isEntryName(name) && !skipping {
					lastEnd = len(out)
					endStack = append(endStack[:0], stack...)
				}
			default:
				if len(rest) < 2 || !isNameStart(rest[1]) {
					// "<" that starts no tag: the lenient parser takes it as text.
					out = append(out, "&lt;"...)
					i++
					continue
				}
				n := tagEnd(rest)
				if n < 0 {
					i = len(b)
					continue
				}
				selfClosing := rest[n-2] == '/'
				name := tagName(rest[1 : n-1])
				i += n
				if len(stack) >= maxFeedDepth || extra > 0 {
					fix.flattened = true
					if !selfClosing {
						extra++
					}
					continue
				}
				if isEntryName(name) && !selfClosing && !skipping {
					fix.items++
					if fix.items > maxFeedItems {
						fix.skipped++
						skipping, skipFrom, skipLevel = true, len(out), len(stack)
					} else {
						lastStart = len(out)
						startStack = append(startStack[:0], stack...)
					}
				}
				out = appendXMLChars(out, rest[:n], true)
				if !selfClosing {
					stack = append(stack, name)
				}
			}
			safe = len(out)
		case c == '&':
			n, ok := charRef(b[i:])
			if n == 0 {
				out = append(out, c)
				i++
				break
			}
			if ok {
				out = append(out, b[i:i+n]...)
			} // else: a reference to a character XML forbids is dropped
			i += n
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			i++
		default:
			// Copy a run of ordinary text at once.
			j := i + 1
			for j < len(b) && b[j] != '<' && b[j] != '&' && b[j] >= 0x20 {
				j++
			}
			out = append(out, b[i:j]...)
			i = j
			if len(stack) == 0 || rootClosed {
				safe = len(out)
			}
		}
	}
	if skipping {
		out = out[:skipFrom]
		safe = min(safe, skipFrom)
	}
	if rootClosed || (len(stack) == 0 && extra == 0) {
		return out, fix
	}
	// The root never closed: the body was cut off. Keep what is complete.
	fix.truncated = true
	keep, open := safe, stack
	switch {
	case lastEnd >= 0:
		keep, open = lastEnd, endStack
	case lastStart >= 0:
		keep, open = lastStart, startStack
	}
	out = out[:keep]
	for k := len(open) - 1; k >= 0; k-- {
		out = append(out, "</"...)
		out = append(out, open[k]...)
		out = append(out, '>')
	}
	return out, fix
}

// isEntryName reports whether an element name (with or without prefix) is
// an RSS item or an Atom entry.
func isEntryName(name []byte) bool {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name) == "item" || string(name) == "entry"
}

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80
}

// tagName returns the element name at the start of a tag's inside.
func tagName(s []byte) []byte {
	for k, c := range s {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>' {
			return s[:k]
		}
	}
	return s
}

// tagEnd returns the length of the tag at the start of s up to and including
// its '>', skipping quoted attribute values; -1 when s ends first.
func tagEnd(s []byte) int { return markupEnd(s, 1, false) }

// doctypeEnd returns the length of a <!DOCTYPE …> (with an internal subset
// in brackets) or another <!…> declaration; -1 when s ends first.
func doctypeEnd(s []byte) int { return markupEnd(s, 2, true) }

// markupEnd finds the '>' that ends the markup at the start of s, from
// byte from on, outside quotes and, with brackets, outside [ … ].
func markupEnd(s []byte, from int, brackets bool) int {
	var quote byte
	depth := 0
	for k := from; k < len(s); k++ {
		c := s[k]
		if brackets && quote == 0 && depth > 0 && c == '<' {
			// A comment or processing instruction in a DOCTYPE's internal
			// subset: an apostrophe in it ("it's") quotes nothing.
			for _, pair := range [][2]string{{"<!--", "-->"}, {"<?", "?>"}} {
				if bytes.HasPrefix(s[k:], []byte(pair[0])) {
					e := bytes.Index(s[k+len(pair[0]):], []byte(pair[1]))
					if e < 0 {
						return -1
					}
					k += len(pair[0]) + e + len(pair[1]) - 1
					break
				}
			}
			continue
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case brackets && c == '[':
			depth++
		case brackets && c == ']':
			depth--
		case c == '>' && depth <= 0:
			return k + 1
		}
	}
	return -1
}

// charRef looks at a '&' at the start of s. For a numeric character
// reference it returns its length and whether XML allows the character; for
// anything else (a named entity, a bare '&') n is 0.
func charRef(s []byte) (n int, ok bool) {
	if len(s) < 3 || s[1] != '#' {
		return 0, false
	}
	end := bytes.IndexByte(s[:min(len(s), 16)], ';')
	if end < 0 {
		return 0, false
	}
	digits, base := s[2:end], 10
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil {
		return end + 1, false // "&#xZZ;": no character at all
	}
	return end + 1, xmlChar(rune(v))
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// appendXMLChars appends s without the control bytes XML forbids and, when
// refs is set (a tag, where attribute values may hold them), without
// references to forbidden characters.
func appendXMLChars(out, s []byte, refs bool) []byte {
	if !hasForbiddenControl(s) && (!refs || bytes.Index(s, []byte("&#")) < 0) {
		return append(out, s...) // the common case: nothing to drop
	}
	start := 0
	for k := 0; k < len(s); k++ {
		c := s[k]
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			out = append(out, s[start:k]...)
			start = k + 1
		case c == '&' && refs:
			if n, ok := charRef(s[k:]); n > 0 && !ok {
				out = append(out, s[start:k]...)
				k += n - 1
				start = k + 1
			}
		}
	}
	return append(out, s[start:]...)
}

// hasForbiddenControl reports whether s holds a control byte other than tab, line
// feed and carriage return, eight bytes at a time.
func hasForbiddenControl(s []byte) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		// Some byte of x is below 0x20 exactly when this is not zero.
		if x := binary.LittleEndian.Uint64(s[i:]); (x-0x2020202020202020)&^x&0x8080808080808080 != 0 {
			for _, c := range s[i : i+8] {
				if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
					return true
				}
			}
		}
	}
	for _, c := range s[i:] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}
