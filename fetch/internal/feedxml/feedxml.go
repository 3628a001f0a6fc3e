// Package feedxml is a fast path for parsing the common RSS 2.0, RSS 1.0
// and Atom 1.0 feeds. Parse reads a feed held in memory with a small
// allocation-light scanner and builds the gofeed.Feed that gofeed would
// build, with the fields kiosk reads filled (see Parse). Whatever it is not
// certain to read exactly as gofeed does (a doctype, a declared encoding
// other than UTF-8, xml:base, namespace declarations below the root, an
// unknown root, entities outside XML's five, malformed XML, an Atom xhtml
// text, ...) it declines, and the caller parses the feed with gofeed.
package feedxml

import (
	"bytes"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

const (
	atom10NS  = "http://www.w3.org/2005/Atom"
	atom03NS  = "http://purl.org/atom/ns#"
	rdfNS     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rss10NS   = "http://purl.org/rss/1.0/"
	rss09NS   = "http://channel.netscape.com/rdf/simple/0.9/"
	rss09AltN = "http://my.netscape.com/rdf/simple/0.9/"
	xmlNS     = "http://www.w3.org/XML/1998/namespace"
)

// Parse parses a feed body (UTF-8, as fetch's prepareFeed leaves it) into
// the gofeed.Feed gofeed's Parser would return for it, or reports false
// when it declines. Only these fields are filled: the feed's Title and
// Link; each item's Title, Description, Content, Link, Links, GUID,
// PublishedParsed, UpdatedParsed, Author, Authors, DublinCoreExt (RSS),
// Image (RSS), Enclosures and Extensions["media"] (its "thumbnail" and
// "content" elements with their attributes).
func Parse(body []byte) (*gofeed.Feed, bool) {
	if len(body) == 0 || body[0] != '<' || !validText(body) {
		return nil, false
	}
	d := doc{s: scanner{b: body}}
	if d.s.next() != tokStart || d.s.i > rootWindow {
		return nil, false
	}
	if !d.rootNamespaces() {
		return nil, false
	}
	prefix, local := splitName(d.s.name)
	var f *gofeed.Feed
	switch {
	case prefix == nil && string(local) == "rss" && d.defaultNS == "":
		f = d.rss()
	case string(prefix) == "rdf" && string(local) == "RDF" && d.ns["rdf"] == rdfNS:
		f = d.rss()
	case prefix == nil && string(local) == "feed" && (d.defaultNS == "" || d.defaultNS == atom10NS):
		f = d.atom()
	}
	if f == nil || d.s.bad {
		return nil, false
	}
	return f, true
}

// doc is the state of one Parse: the scanner and the root's namespaces.
type doc struct {
	s         scanner
	defaultNS string
	ns        map[string]string // prefix -> URI, declared on the root
	native    []string          // namespaces of the format's own elements
}

// rootNamespaces reads the root's namespace declarations. It refuses
// declarations gofeed could read differently: an empty or space-padded
// URI, a prefix declared twice, xml:base, and a URI other than gofeed's
// well-known ones bound to two prefixes.
func (d *doc) rootNamespaces() bool {
	d.ns = map[string]string{}
	seen := map[string]bool{}
	for _, a := range d.s.attrs {
		p, l := splitName(a.name)
		var prefix string
		switch {
		case p == nil && string(l) == "xmlns":
		case string(p) == "xmlns":
			prefix = string(l)
			if prefix == "xml" || prefix == "xmlns" {
				return false
			}
		case string(p) == "xml" && string(l) != "lang" && string(l) != "space":
			return false // xml:base, or something new
		default:
			continue
		}
		uri, ok := decodeAttr(a.value)
		if !ok || uri == "" || uri != strings.TrimSpace(uri) || uri == xmlNS || seen["p:"+prefix] {
			return false
		}
		seen["p:"+prefix] = true
		if _, canon := canonicalNamespaces[uri]; !canon {
			if seen["u:"+uri] {
				return false
			}
			seen["u:"+uri] = true
		}
		if prefix == "" {
			d.defaultNS = uri
		} else {
			d.ns[prefix] = uri
		}
	}
	return true
}

// space returns the namespace of the current tag's element, as
// encoding/xml resolves it (an undeclared prefix stands for itself), and
// its local name. ok is false for elements below the root that declare
// namespaces or an xml:base.
func (d *doc) space() (space string, local []byte, ok bool) {
	for _, a := range d.s.attrs {
		if len(d.s.stack) == 1 {
			break // the root's declarations are in d.ns
		}
		if bytes.HasPrefix(a.name, []byte("xmlns")) || bytes.HasPrefix(a.name, []byte("xml:")) {
			if len(a.name) == 5 || a.name[3] == ':' || a.name[5] == ':' {
				return "", nil, false
			}
		}
	}
	p, l := splitName(d.s.name)
	switch {
	case p == nil:
		return d.defaultNS, l, true
	case string(p) == "xml" || string(p) == "xmlns":
		return "", nil, false
	}
	if uri, ok := d.ns[string(p)]; ok {
		return uri, l, true
	}
	return string(p), l, true
}

// prefixFor is gofeed's PrefixForNamespace for a namespace in scope.
func (d *doc) prefixFor(space string) string {
	if p, ok := canonicalNamespaces[space]; ok {
		return p
	}
	for p, uri := range d.ns {
		if uri == space {
			return p
		}
	}
	return space
}

// isNative reports whether a namespace is one of the format's own.
func (d *doc) isNative(space string) bool {
	for _, n := range d.native {
		if space == n {
			return true
		}
	}
	return false
}

// lowerIs reports whether an ASCII name lower-cased is want.
func lowerIs(name []byte, want string) bool {
	if len(name) != len(want) {
		return false
	}
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// lower lower-cases an ASCII name.
func lower(name []byte) string {
	for _, c := range name {
		if c >= 'A' && c <= 'Z' {
			return strings.ToLower(string(name))
		}
	}
	return string(name)
}

// text is gofeed's ParseText of the current element.
func (d *doc) text() (string, bool) {
	raw, ok := d.s.inner()
	if !ok {
		return "", false
	}
	return parseText(raw), true
}

// uriAttr is the current tag's attribute local as goxpp's Attribute reads
// it after gofeed resolved URI attributes (resolveURI).
func (d *doc) uriAttr(local string) (string, bool) {
	v, ok := d.s.attr(local)
	if ok && isURIAttr([]byte(local)) {
		v = resolveURI(v)
	}
	return v, ok
}

// extAttrs is the attribute map gofeed keeps for an extension element:
// by local name, the last one winning, URI attributes resolved.
func (d *doc) extAttrs() (map[string]string, bool) {
	m := make(map[string]string, len(d.s.attrs))
	for _, a := range d.s.attrs {
		_, l := splitName(a.name)
		v, ok := decodeAttr(a.value)
		if !ok {
			return nil, false
		}
		if isURIAttr(l) {
			v = resolveURI(v)
		}
		m[string(l)] = v
	}
	return m, true
}

// extValue consumes an extension element and returns its value as gofeed
// builds it: its own character data, trimmed.
func (d *doc) extValue() (string, bool) {
	v, ok := d.s.text(nil)
	if !ok {
		return "", false
	}
	return string(bytes.TrimSpace(v)), true
}

// dateUTC parses a date as gofeed's parsers do, normalised to UTC.
func dateUTC(s string) *time.Time {
	t, err := parseDate(s)
	if err != nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// mediaExt adds a media:thumbnail or media:content element to an item's
// extensions; other media elements are skipped.
func (d *doc) mediaExt(exts *ext.Extensions, local []byte) bool {
	name := string(local)
	if name != "thumbnail" && name != "content" {
		return d.s.skip()
	}
	attrs, ok := d.extAttrs()
	if !ok || !d.s.skip() {
		return false
	}
	if *exts == nil {
		*exts = ext.Extensions{}
	}
	if (*exts)["media"] == nil {
		(*exts)["media"] = map[string][]ext.Extension{}
	}
	(*exts)["media"][name] = append((*exts)["media"][name], ext.Extension{Name: name, Attrs: attrs})
	return true
}
