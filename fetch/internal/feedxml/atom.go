// The rules in this file follow github.com/mmcdole/gofeed v1.4.2's
// Atom parser (atom/parser.go) and its default Atom translator (translator.go),
// MIT licence, Copyright (c) 2016 mmcdole, in LICENSE.gofeed in this
// directory.

package feedxml

import (
	"bytes"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// atom reads an Atom 1.0 document whose root start tag was just read, as
// gofeed's atom.Parser and DefaultAtomTranslator do.
func (d *doc) atom() *gofeed.Feed {
	d.native = []string{"", atom10NS, atom03NS}
	f := &gofeed.Feed{}
	var haveLink bool
	for {
		switch d.s.next() {
		case tokEnd:
			return f
		case tokEOF:
			return nil
		}
		space, local, ok := d.space()
		if !ok {
			return nil
		}
		if !d.isNative(space) {
			ok = d.s.skip()
		} else {
			switch lower(local) {
			case "title":
				f.Title, ok = d.atomText("title")
			case "link":
				var l atomLink
				if l, ok = d.atomLink(); ok && !haveLink && l.rel == "alternate" {
					f.Link, haveLink = l.href, true
				}
			case "entry":
				var it *gofeed.Item
				if it, ok = d.atomEntry(); ok {
					f.Items = append(f.Items, it)
				}
			default:
				ok = d.s.skip()
			}
		}
		if !ok {
			return nil
		}
	}
}

type atomLink struct {
	href, rel, typ, length string
}

// atomLink reads a link element: its attributes, rel defaulting to
// alternate.
func (d *doc) atomLink() (atomLink, bool) {
	var l atomLink
	var ok bool
	if l.href, ok = d.uriAttr("href"); !ok {
		return l, false
	}
	if l.rel, ok = d.s.attr("rel"); !ok {
		return l, false
	}
	if l.typ, ok = d.s.attr("type"); !ok {
		return l, false
	}
	if l.length, ok = d.s.attr("length"); !ok {
		return l, false
	}
	if l.rel == "" {
		l.rel = "alternate"
	}
	return l, d.s.skip()
}

// atomText is gofeed's parseAtomText for an element without xml:base, for
// the text types it handles without an HTML parse: text (or none), html
// without markup outside CDATA, and any type in CDATA. It declines xhtml
// outside CDATA, base64 and other types.
func (d *doc) atomText(name string) (string, bool) {
	var typ, mode []byte
	nType, nMode := 0, 0
	for _, a := range d.s.attrs {
		_, l := splitName(a.name)
		switch string(l) {
		case "type":
			typ, nType = a.value, nType+1
		case "mode":
			mode, nMode = a.value, nMode+1
		}
	}
	if nType > 1 || nMode > 1 || bytes.IndexByte(typ, '&') >= 0 || bytes.IndexByte(mode, '&') >= 0 {
		return "", false
	}
	raw, ok := d.s.inner()
	if !ok {
		return "", false
	}
	raw = bytes.TrimSpace(raw)
	lowerType := strings.ToLower(string(typ))
	var result string
	switch {
	case bytes.Contains(raw, []byte(cdataStart)):
		// gofeed resolves the links of html and xhtml against xml:base,
		// and there is none.
		result = stripCDATA(raw)
	case lowerType == "text" || strings.HasPrefix(lowerType, "text/") || (lowerType == "" && len(mode) == 0):
		result = decodeEntities(raw)
	case lowerType == "html" && bytes.IndexByte(raw, '<') < 0:
		// gofeed parses the text as HTML to strip a wrapping div; text
		// without a '<' holds no element, and comes back unchanged.
		result = decodeEntities(raw)
	default:
		return "", false
	}
	if name == "id" {
		result = resolveURI(result)
	}
	return result, true
}

// atomEntry reads an entry element and translates it as gofeed's
// DefaultAtomTranslator does.
func (d *doc) atomEntry() (*gofeed.Item, bool) {
	if _, _, ok := d.space(); !ok {
		return nil, false
	}
	it := &gofeed.Item{}
	var published, updated *time.Time
	var exts ext.Extensions
	var haveLink bool
	for {
		switch d.s.next() {
		case tokEnd:
			it.Extensions = exts
			it.UpdatedParsed = updated
			it.PublishedParsed = published
			if published == nil {
				it.PublishedParsed = updated
			}
			if len(it.Authors) > 0 {
				it.Author = it.Authors[0]
			}
			return it, true
		case tokEOF:
			return nil, false
		}
		space, local, ok := d.space()
		if !ok {
			return nil, false
		}
		if !d.isNative(space) {
			if d.prefixFor(space) == "media" {
				ok = d.mediaExt(&exts, local)
			} else {
				ok = d.s.skip()
			}
			if !ok {
				return nil, false
			}
			continue
		}
		var s string
		switch name := lower(local); name {
		case "title":
			it.Title, ok = d.atomText(name)
		case "id":
			it.GUID, ok = d.atomText(name)
		case "summary":
			it.Description, ok = d.atomText(name)
		case "content":
			it.Content, ok = d.atomText(name)
		case "updated", "modified":
			if s, ok = d.atomText(name); ok {
				updated = dateUTC(s)
			}
		case "published", "issued":
			if s, ok = d.atomText(name); ok {
				published = dateUTC(s)
			}
		case "author":
			var p *gofeed.Person
			if p, ok = d.atomPerson(); ok {
				it.Authors = append(it.Authors, p)
			}
		case "link":
			var l atomLink
			if l, ok = d.atomLink(); ok {
				if l.rel == "alternate" && !haveLink {
					it.Link, haveLink = l.href, true
				}
				if l.rel == "alternate" || l.rel == "self" {
					it.Links = append(it.Links, l.href)
				}
				if l.rel == "enclosure" {
					it.Enclosures = append(it.Enclosures, &gofeed.Enclosure{URL: l.href, Length: l.length, Type: l.typ})
				}
			}
		default:
			ok = d.s.skip()
		}
		if !ok {
			return nil, false
		}
	}
}

// atomPerson reads an author element's name and email.
func (d *doc) atomPerson() (*gofeed.Person, bool) {
	if _, _, ok := d.space(); !ok {
		return nil, false
	}
	p := &gofeed.Person{}
	for {
		switch d.s.next() {
		case tokEnd:
			return p, true
		case tokEOF:
			return nil, false
		}
		if _, _, ok := d.space(); !ok {
			return nil, false
		}
		_, local := splitName(d.s.name)
		var ok bool
		switch name := lower(local); name {
		case "name":
			p.Name, ok = d.atomText(name)
		case "email":
			p.Email, ok = d.atomText(name)
		default:
			ok = d.s.skip()
		}
		if !ok {
			return nil, false
		}
	}
}
