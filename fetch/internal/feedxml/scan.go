package feedxml

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds element nesting; deeper documents are declined (fetch
// flattens feeds to 64 levels before they get here).
const maxDepth = 256

// maxAttrs bounds the attributes of one tag; a tag with more is declined
// (real feeds have a handful; millions would cost their slice's memory).
const maxAttrs = 256

// rootWindow is how far into the body the root element's start tag must
// end: gofeed detects the feed type from its first 4096 bytes only.
const rootWindow = 4000

type tokKind uint8

const (
	tokEOF tokKind = iota // the end of the body, or a decline
	tokStart
	tokEnd
)

// attr is one attribute of a start tag, raw: value is undecoded.
type attr struct {
	name, value []byte
}

// scanner is a pull tokenizer over an in-memory UTF-8 document. It accepts a
// strict subset of what encoding/xml accepts in its non-strict mode (the
// mode gofeed uses) and sets bad on anything else, so that a document it
// reads to the end is one gofeed reads the same way.
type scanner struct {
	b     []byte
	i     int
	name  []byte // the current start or end tag's qualified name
	attrs []attr // the current start tag's attributes, reused
	empty bool   // the current start tag closes itself
	// tagStart is where the current tag's '<' is; contentStart where its
	// content begins (after the start tag's '>').
	tagStart, contentStart int
	stack                  [][]byte
	bad                    bool
}

// fail marks the document as declined and returns tokEOF.
func (s *scanner) fail() tokKind {
	s.bad = true
	s.i = len(s.b)
	return tokEOF
}

// next returns the next start or end tag, skipping text, CDATA sections,
// comments and processing instructions. A self-closing start tag is
// followed by its end tag.
func (s *scanner) next() tokKind {
	if s.bad {
		return tokEOF
	}
	if s.empty {
		s.empty = false
		s.stack = s.stack[:len(s.stack)-1]
		// s.name is still the element's name.
		s.tagStart = s.i
		return tokEnd
	}
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			s.i = len(s.b)
			return tokEOF
		}
		if j > 2 && bytes.Contains(s.b[s.i:s.i+j], []byte("]]>")) {
			return s.fail() // encoding/xml refuses it outside CDATA
		}
		s.i += j
		switch k := s.markup(); k {
		case tokStart, tokEnd:
			return k
		}
		if s.bad {
			return tokEOF
		}
	}
}

// markup reads the markup at s.i (a '<'). It returns tokStart or tokEnd for
// a tag and tokEOF (with s.bad unset) after a comment, CDATA section or
// processing instruction it skipped.
func (s *scanner) markup() tokKind {
	rest := s.b[s.i:]
	if len(rest) < 2 {
		return s.fail()
	}
	switch c := rest[1]; {
	case c == '/':
		return s.endTag()
	case c == '!':
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			e := bytes.Index(rest[4:], []byte("--"))
			if e < 0 || len(rest) < 4+e+3 || rest[4+e+2] != '>' {
				return s.fail() // unterminated, or "--" inside a comment
			}
			if hasControl(rest[4 : 4+e]) {
				return s.fail()
			}
			s.i += 4 + e + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			e := bytes.Index(rest[9:], []byte("]]>"))
			if e < 0 {
				return s.fail()
			}
			s.i += 9 + e + 3
		default:
			return s.fail() // a doctype or other declaration
		}
		return tokEOF
	case c == '?':
		e := bytes.Index(rest[2:], []byte("?>"))
		if e < 0 {
			return s.fail()
		}
		pi := rest[2 : 2+e]
		if hasControl(pi) {
			return s.fail()
		}
		n := nameLen(pi)
		if n == 0 || bytes.IndexByte(pi[:n], ':') >= 0 || (len(pi) > n && !isSpace(pi[n])) {
			return s.fail()
		}
		if len(pi) >= 3 && (pi[0]|0x20) == 'x' && (pi[1]|0x20) == 'm' && (pi[2]|0x20) == 'l' && n == 3 {
			if s.i != 0 || !okDeclaration(pi[n:]) {
				return s.fail()
			}
		}
		s.i += 2 + e + 2
		return tokEOF
	default:
		return s.startTag()
	}
}

// startTag reads a start tag at s.i.
func (s *scanner) startTag() tokKind {
	b := s.b
	k := s.i + 1
	n := qnameLen(b[k:])
	if n == 0 {
		return s.fail()
	}
	s.tagStart = s.i
	s.name = b[k : k+n]
	s.attrs = s.attrs[:0]
	k += n
	for {
		sp := k
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return s.fail()
		}
		switch b[k] {
		case '>':
			k++
			s.empty = false
		case '/':
			if k+1 >= len(b) || b[k+1] != '>' {
				return s.fail()
			}
			k += 2
			s.empty = true
		default:
			if sp == k {
				return s.fail() // attributes must be separated by space
			}
			an := qnameLen(b[k:])
			if an == 0 {
				return s.fail()
			}
			name := b[k : k+an]
			k += an
			for k < len(b) && isSpace(b[k]) {
				k++
			}
			if k >= len(b) || b[k] != '=' {
				return s.fail()
			}
			k++
			for k < len(b) && isSpace(b[k]) {
				k++
			}
			if k >= len(b) || (b[k] != '"' && b[k] != '\'') {
				return s.fail()
			}
			q := b[k]
			e := bytes.IndexByte(b[k+1:], q)
			if e < 0 {
				return s.fail()
			}
			v := b[k+1 : k+1+e]
			if bytes.IndexByte(v, '<') >= 0 {
				return s.fail()
			}
			if len(s.attrs) == maxAttrs {
				return s.fail()
			}
			s.attrs = append(s.attrs, attr{name, v})
			k += 1 + e + 1
			continue
		}
		break
	}
	if len(s.stack) >= maxDepth {
		return s.fail()
	}
	s.stack = append(s.stack, s.name)
	s.i = k
	s.contentStart = k
	return tokStart
}

// endTag reads an end tag at s.i; it must close the innermost open element.
func (s *scanner) endTag() tokKind {
	b := s.b
	k := s.i + 2
	n := qnameLen(b[k:])
	if n == 0 || len(s.stack) == 0 || !bytes.Equal(s.stack[len(s.stack)-1], b[k:k+n]) {
		return s.fail()
	}
	s.tagStart = s.i
	s.name = b[k : k+n]
	k += n
	for k < len(b) && isSpace(b[k]) {
		k++
	}
	if k >= len(b) || b[k] != '>' {
		return s.fail()
	}
	s.i = k + 1
	s.stack = s.stack[:len(s.stack)-1]
	return tokEnd
}

// inner consumes the content and end tag of the element whose start tag
// was just read and returns the content raw, as encoding/xml's ",innerxml"
// does; ok is false when the document is declined.
func (s *scanner) inner() ([]byte, bool) {
	if s.empty {
		s.next()
		return nil, !s.bad
	}
	from, depth := s.contentStart, len(s.stack)
	for {
		switch s.next() {
		case tokEnd:
			if len(s.stack) < depth {
				return s.b[from:s.tagStart], true
			}
		case tokEOF:
			s.fail()
			return nil, false
		}
	}
}

// skip consumes the content and end tag of the element whose start tag was
// just read.
func (s *scanner) skip() bool {
	_, ok := s.inner()
	return ok
}

// text consumes the element whose start tag was just read and returns its
// direct character data decoded as encoding/xml does (entities, CDATA,
// line ends), child elements left out, as gofeed builds an extension's
// value. child, if not nil, is called at each child's start tag and must
// consume the child.
func (s *scanner) text(child func() bool) ([]byte, bool) {
	if s.empty {
		s.next()
		return nil, !s.bad
	}
	var out []byte
	depth := len(s.stack)
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			s.fail()
			return nil, false
		}
		var ok bool
		if bytes.Contains(s.b[s.i:s.i+j], []byte("]]>")) {
			s.fail()
			return nil, false
		}
		if out, ok = appendDecoded(out, s.b[s.i:s.i+j]); !ok {
			s.fail()
			return nil, false
		}
		s.i += j
		if bytes.HasPrefix(s.b[s.i:], []byte("<![CDATA[")) {
			e := bytes.Index(s.b[s.i+9:], []byte("]]>"))
			if e < 0 {
				s.fail()
				return nil, false
			}
			out = appendNewlines(out, s.b[s.i+9:s.i+9+e])
			s.i += 9 + e + 3
			continue
		}
		switch s.markup() {
		case tokStart:
			if child != nil {
				if !child() {
					s.fail()
					return nil, false
				}
			} else if !s.skip() {
				return nil, false
			}
		case tokEnd:
			if len(s.stack) < depth {
				return out, true
			}
		default:
			if s.bad {
				return nil, false
			}
		}
	}
}

// attr returns the value of the named attribute of the current start tag
// the way goxpp's Attribute does: an unprefixed one first, else the first
// prefixed one with that local name. It is decoded; ok is false when it
// cannot be.
func (s *scanner) attr(local string) (string, bool) {
	var pref []byte
	found := false
	for _, a := range s.attrs {
		p, l := splitName(a.name)
		if string(l) != local {
			continue
		}
		if p == nil { // encoding/xml gives it an empty space (so too "xmlns")
			return decodeAttr(a.value)
		}
		if !found {
			pref, found = a.value, true
		}
	}
	if found {
		return decodeAttr(pref)
	}
	return "", true
}

// decodeAttr decodes an attribute value.
func decodeAttr(v []byte) (string, bool) {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return string(v), true
	}
	out, ok := appendDecoded(nil, v)
	return string(out), ok
}

// appendDecoded appends character data with its references decoded and
// its line ends normalised, as encoding/xml does; ok is false for a
// reference encoding/xml would not decode the same way in its non-strict
// mode (a named entity beyond the five XML ones, a bare '&').
func appendDecoded(out, s []byte) ([]byte, bool) {
	for len(s) > 0 {
		j := 0
		for j < len(s) && s[j] != '&' && s[j] != '\r' {
			j++
		}
		out = append(out, s[:j]...)
		s = s[j:]
		if len(s) == 0 {
			break
		}
		if s[0] == '\r' {
			out = append(out, '\n')
			s = s[1:]
			if len(s) > 0 && s[0] == '\n' {
				s = s[1:]
			}
			continue
		}
		e := bytes.IndexByte(s[:min(len(s), 12)], ';')
		if e < 2 {
			return nil, false
		}
		ref := s[1:e]
		switch string(ref) {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "apos":
			out = append(out, '\'')
		case "quot":
			out = append(out, '"')
		default:
			if ref[0] != '#' || len(ref) < 2 {
				return nil, false
			}
			digits, base := ref[1:], 10
			if digits[0] == 'x' {
				digits, base = digits[1:], 16
			}
			if len(digits) == 0 || digits[0] == '+' || digits[0] == '-' {
				return nil, false
			}
			v, err := strconv.ParseUint(string(digits), base, 32)
			if err != nil || !xmlChar(rune(v)) {
				return nil, false
			}
			out = utf8.AppendRune(out, rune(v))
		}
		s = s[e+1:]
	}
	return out, true
}

// appendNewlines appends CDATA content with "\r\n" and "\r" made "\n".
func appendNewlines(out, s []byte) []byte {
	for {
		j := bytes.IndexByte(s, '\r')
		if j < 0 {
			return append(out, s...)
		}
		out = append(out, s[:j]...)
		out = append(out, '\n')
		s = s[j+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
	}
}

// okDeclaration reports whether the inside of an XML declaration (after
// "xml") says version 1.0 and, if anything, the UTF-8 encoding.
func okDeclaration(d []byte) bool {
	var version, encoding []byte
	for {
		k := 0
		for k < len(d) && isSpace(d[k]) {
			k++
		}
		d = d[k:]
		if len(d) == 0 {
			break
		}
		n := nameLen(d)
		if n == 0 {
			return false
		}
		name := string(d[:n])
		d = d[n:]
		k = 0
		for k < len(d) && isSpace(d[k]) {
			k++
		}
		if k >= len(d) || d[k] != '=' {
			return false
		}
		k++
		for k < len(d) && isSpace(d[k]) {
			k++
		}
		if k >= len(d) || (d[k] != '"' && d[k] != '\'') {
			return false
		}
		e := bytes.IndexByte(d[k+1:], d[k])
		if e < 0 {
			return false
		}
		v := d[k+1 : k+1+e]
		d = d[k+1+e+1:]
		switch name {
		case "version":
			version = v
		case "encoding":
			encoding = v
		case "standalone":
			// encoding/xml finds "encoding=" anywhere in the declaration.
			if string(v) != "yes" && string(v) != "no" {
				return false
			}
		default:
			return false
		}
	}
	return string(version) == "1.0" && (encoding == nil || bytes.EqualFold(encoding, []byte("utf-8")))
}

// qnameLen returns the length of an XML name (ASCII only, at most one
// colon, not at either end) at the start of s; 0 when there is none.
func qnameLen(s []byte) int {
	n := nameLen(s)
	if n == 0 {
		return 0
	}
	c := bytes.IndexByte(s[:n], ':')
	if c >= 0 && (c == 0 || c == n-1 || bytes.IndexByte(s[c+1:n], ':') >= 0) {
		return 0
	}
	return n
}

// nameLen returns the length of the ASCII name at the start of s.
func nameLen(s []byte) int {
	if len(s) == 0 || !(s[0] == '_' || s[0] == ':' || s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z') {
		return 0
	}
	k := 1
	for k < len(s) && isNameByte(s[k]) {
		k++
	}
	if k < len(s) && s[k] >= utf8.RuneSelf {
		return 0 // a non-ASCII name: not ours
	}
	return k
}

func isNameByte(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitName splits a qualified name into prefix (nil when none) and local name.
func splitName(n []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(n, ':'); i >= 0 {
		return n[:i], n[i+1:]
	}
	return nil, n
}

// hasControl reports whether s holds a control byte XML forbids.
func hasControl(s []byte) bool {
	for _, c := range s {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
