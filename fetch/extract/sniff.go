package extract

import (
	"bytes"
)

// sniffLen is how much of a file SniffHTML looks at, as browsers do.
const sniffLen = 1024

// SniffHTML reports whether b is a page a browser would open as HTML. Like a
// browser it skips a UTF-8 byte order mark, white space, comments (including
// conditional ones, <!--[if IE]>) and an XML declaration, then takes any
// markup: a doctype, whatever its spacing, or a start tag such as <html>,
// <meta> or <p>. Failing that, a text head (no NUL or other binary control
// bytes) that holds <html or <!doctype html also counts. An empty file or a
// binary one does not.
func SniffHTML(b []byte) bool {
	head := b[:min(len(b), sniffLen)]
	if isBinary(head) {
		return false
	}
	s := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for {
		s = bytes.TrimLeft(s, " \t\n\f\r")
		switch {
		case bytes.HasPrefix(s, []byte("<!--")):
			end := bytes.Index(s[4:], []byte("-->"))
			if end < 0 {
				return true // a comment running past the head: markup all the same
			}
			s = s[4+end+3:]
			continue
		case bytes.HasPrefix(s, []byte("<?")):
			end := bytes.Index(s, []byte("?>"))
			if end < 0 {
				return false
			}
			s = s[end+2:]
			continue
		}
		break
	}
	if len(s) >= 2 && s[0] == '<' && (isASCIILetter(s[1]) || s[1] == '!') {
		return true
	}
	lower := bytes.ToLower(head)
	return bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html"))
}

// isBinary reports whether b holds bytes no text file has: NUL and the C0
// controls other than tab, newline, form feed, carriage return and escape.
func isBinary(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1b {
			return true
		}
	}
	return false
}

// isASCIILetter reports whether c is a-z or A-Z.
func isASCIILetter(c byte) bool {
	return (c|0x20) >= 'a' && (c|0x20) <= 'z'
}
