package feedxml

// The functions in this file reproduce the text handling of
// github.com/mmcdole/gofeed v1.4.2 (internal/shared/parseutils.go and
// extparser.go; MIT licence, Copyright (c) 2016 mmcdole, in LICENSE.gofeed
// in this directory), which gofeed keeps internal: the fast path must turn
// an element's raw content into exactly the string gofeed makes of it.

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/internal/plainurl"
)

const (
	cdataStart = "<![CDATA["
	cdataEnd   = "]]>"
)

// parseText is gofeed's shared.ParseText applied to an element's raw inner
// XML: trimmed, then CDATA sections unwrapped and the text around them
// entity-decoded (HTML entities, as gofeed does).
func parseText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if bytes.Contains(raw, []byte(cdataStart)) {
		return stripCDATA(raw)
	}
	return decodeEntities(raw)
}

// stripCDATA is gofeed's shared.StripCDATA.
func stripCDATA(s []byte) string {
	// The common case, one CDATA section and nothing else, without a copy
	// of a copy.
	if len(s) >= len(cdataStart)+len(cdataEnd) && bytes.HasPrefix(s, []byte(cdataStart)) && bytes.HasSuffix(s, []byte(cdataEnd)) {
		if in := s[len(cdataStart) : len(s)-len(cdataEnd)]; !bytes.Contains(in, []byte(cdataEnd)) {
			return string(in)
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		start := bytes.Index(s, []byte(cdataStart))
		if start < 0 {
			b.WriteString(decodeEntities(s))
			break
		}
		b.WriteString(decodeEntities(s[:start]))
		end := bytes.Index(s[start+len(cdataStart):], []byte(cdataEnd))
		if end < 0 {
			b.WriteString(decodeEntities(s[start:]))
			break
		}
		end += start + len(cdataStart)
		b.Write(s[start+len(cdataStart) : end])
		s = s[end+len(cdataEnd):]
	}
	return b.String()
}

// maxEntityLen is gofeed's bound on how far past an '&' its ';' may be.
const maxEntityLen = 64

// decodeEntities is gofeed's shared.DecodeEntities.
func decodeEntities(data []byte) string {
	if bytes.IndexByte(data, '&') < 0 {
		return string(data)
	}
	var buf strings.Builder
	buf.Grow(len(data))
	for len(data) > 0 {
		idx := bytes.IndexByte(data, '&')
		if idx == -1 {
			buf.Write(data)
			break
		}
		buf.Write(data[:idx])
		data = data[idx:]
		window := data
		if len(window) > maxEntityLen {
			window = window[:maxEntityLen]
		}
		end := bytes.IndexByte(window, ';')
		if end == -1 && len(window) == len(data) {
			buf.Write(data)
			break
		}
		if end == -1 || bytes.ContainsAny(data[1:end], " \t\r\n") {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		if dec, ok := commonEntity(data[:end+1]); ok {
			buf.WriteString(dec)
			data = data[end+1:]
			continue
		}
		span := string(data[:end+1])
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		buf.WriteString(dec)
		data = data[end+1:]
	}
	return buf.String()
}

// commonEntity decodes the entities feeds carry most, as decodeEntities's
// general case would (each decodes differently without its ';', so the
// ';' is part of it), without building strings to find out.
func commonEntity(span []byte) (string, bool) {
	switch string(span) {
	case "&amp;":
		return "&", true
	case "&lt;":
		return "<", true
	case "&gt;":
		return ">", true
	case "&quot;":
		return `"`, true
	case "&apos;":
		return "'", true
	}
	return "", false
}

var (
	emailNameRgx = regexp.MustCompile(`^([^@]+@[^\s]+)\s+\(([^@]+)\)$`)
	nameEmailRgx = regexp.MustCompile(`^([^@]+)\s+\(([^@]+@[^)]+)\)$`)
	nameOnlyRgx  = regexp.MustCompile(`^([^@()]+)$`)
	emailOnlyRgx = regexp.MustCompile(`^([^@()]+@[^@()]+)$`)
)

// parseNameAddress is gofeed's shared.ParseNameAddress.
func parseNameAddress(s string) (name, address string) {
	if s == "" {
		return
	}
	if !strings.ContainsAny(s, "@()") {
		// nameOnlyRgx: one or more characters, none of "@()" (it matches
		// newlines too, [^...] does).
		return s, ""
	}
	if m := emailNameRgx.FindStringSubmatch(s); m != nil {
		return m[2], m[1]
	}
	if m := nameEmailRgx.FindStringSubmatch(s); m != nil {
		return m[1], m[2]
	}
	if m := nameOnlyRgx.FindStringSubmatch(s); m != nil {
		return m[1], ""
	}
	if m := emailOnlyRgx.FindStringSubmatch(s); m != nil {
		return "", m[1]
	}
	return
}

// resolveURI is what gofeed does to an attribute whose name is href, src,
// uri or scheme when no xml:base is in scope (shared.XmlBaseResolveUrl with
// a nil base): the value parsed and printed again, when it parses.
func resolveURI(v string) string {
	if plainurl.Is(v) || plainurl.IsToken(v) {
		return v
	}
	u, err := url.Parse(strings.TrimLeft(v, " "))
	if err != nil {
		return v
	}
	return u.String()
}

// isURIAttr reports whether gofeed resolves an attribute of this local name.
func isURIAttr(local []byte) bool {
	if len(local) < 3 || len(local) > 6 {
		return false
	}
	var buf [6]byte
	for i, c := range local {
		buf[i] = c | 0x20
	}
	switch string(buf[:len(local)]) {
	case "href", "scheme", "src", "uri":
		return true
	}
	return false
}

// validText reports whether a body holds only valid UTF-8 characters that
// XML allows (encoding/xml refuses the rest).
func validText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	// U+FFFE and U+FFFF are valid UTF-8 but no XML characters.
	return !bytes.Contains(b, []byte("\xef\xbf\xbe")) && !bytes.Contains(b, []byte("\xef\xbf\xbf"))
}

// canonicalNamespaces is gofeed's map from well-known namespace URIs to the
// prefix it files their elements under, whatever prefix the feed uses.
var canonicalNamespaces = map[string]string{
	"http://www.w3.org/2005/Atom": "atom",
	"http://purl.org/atom/ns#":    "atom03",

	"http://webns.net/mvcb/":                                         "admin",
	"http://purl.org/rss/1.0/modules/aggregation/":                   "ag",
	"http://purl.org/rss/1.0/modules/annotate/":                      "annotate",
	"http://media.tangent.org/rss/1.0/":                              "audio",
	"http://backend.userland.com/blogChannelModule":                  "blogChannel",
	"http://creativecommons.org/ns#license":                          "cc",
	"http://web.resource.org/cc/":                                    "cc",
	"http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
	"http://backend.userland.com/creativeCommonsRssModule":           "creativeCommons",
	"http://purl.org/rss/1.0/modules/company":                        "co",
	"http://purl.org/rss/1.0/modules/content/":                       "content",
	"http://my.theinfo.org/changed/1.0/rss/":                         "cp",
	"http://purl.org/dc/elements/1.1/":                               "dc",
	"http://purl.org/dc/terms/":                                      "dcterms",
	"http://purl.org/rss/1.0/modules/email/":                         "email",
	"http://purl.org/rss/1.0/modules/event/":                         "ev",
	"http://rssnamespace.org/feedburner/ext/1.0":                     "feedburner",
	"http://freshmeat.net/rss/fm/":                                   "fm",
	"http://xmlns.com/foaf/0.1/":                                     "foaf",
	"http://www.w3.org/2003/01/geo/wgs84_pos#":                       "geo",
	"http://www.georss.org/georss":                                   "georss",
	"http://www.opengis.net/gml":                                     "gml",
	"http://postneo.com/icbm/":                                       "icbm",
	"http://purl.org/rss/1.0/modules/image/":                         "image",
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd":                     "itunes",
	"http://example.com/DTDs/PodCast-1.0.dtd":                        "itunes",
	"http://purl.org/rss/1.0/modules/link/":                          "l",
	"http://search.yahoo.com/mrss":                                   "media",
	"http://search.yahoo.com/mrss/":                                  "media",
	"http://madskills.com/public/xml/rss/module/pingback/":           "pingback",
	"http://prismstandard.org/namespaces/1.2/basic/":                 "prism",
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#":                    "rdf",
	"http://www.w3.org/2000/01/rdf-schema#":                          "rdfs",
	"http://purl.org/rss/1.0/modules/reference/":                     "ref",
	"http://purl.org/rss/1.0/modules/richequiv/":                     "reqv",
	"http://purl.org/rss/1.0/modules/search/":                        "search",
	"http://purl.org/rss/1.0/modules/slash/":                         "slash",
	"http://schemas.xmlsoap.org/soap/envelope/":                      "soap",
	"http://purl.org/rss/1.0/modules/servicestatus/":                 "ss",
	"http://hacks.benhammersley.com/rss/streaming/":                  "str",
	"http://purl.org/rss/1.0/modules/subscription/":                  "sub",
	"http://purl.org/rss/1.0/modules/syndication/":                   "sy",
	"http://schemas.pocketsoap.com/rss/myDescModule/":                "szf",
	"http://purl.org/rss/1.0/modules/taxonomy/":                      "taxo",
	"http://purl.org/rss/1.0/modules/threading/":                     "thr",
	"http://purl.org/rss/1.0/modules/textinput/":                     "ti",
	"http://madskills.com/public/xml/rss/module/trackback/":          "trackback",
	"http://wellformedweb.org/commentAPI/":                           "wfw",
	"http://purl.org/rss/1.0/modules/wiki/":                          "wiki",
	"http://www.w3.org/1999/xhtml":                                   "xhtml",
	"http://www.w3.org/1999/xlink":                                   "xlink",
	"http://www.w3.org/XML/1998/namespace":                           "xml",
	"http://podlove.org/simple-chapters":                             "psc",
}
