// The rules in this file follow github.com/mmcdole/gofeed v1.4.2's
// RSS parser (rss/parser.go) and its default RSS translator (translator.go),
// MIT licence, Copyright (c) 2016 mmcdole, in LICENSE.gofeed in this
// directory.

package feedxml

import (
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// atomKeys are the extension prefixes gofeed's RSS translator reads Atom
// elements from, in its order.
var atomKeys = [3]string{"atom", "atom10", "atom03"}

// atomIndex returns the index of prefix in atomKeys, or -1.
func atomIndex(prefix string) int {
	for i, k := range atomKeys {
		if k == prefix {
			return i
		}
	}
	return -1
}

// rss reads an RSS 0.9x/2.0 or RSS 1.0 (RDF) document whose root start tag
// was just read, as gofeed's rss.Parser and DefaultRSSTranslator do.
func (d *doc) rss() *gofeed.Feed {
	d.native = []string{"", "rss", "rdf", rdfNS, rss10NS, rss09NS, rss09AltN}
	if space, _, ok := d.space(); !ok {
		return nil
	} else if space != "" {
		if _, canon := canonicalNamespaces[space]; !canon {
			d.native = append([]string{space}, d.native...)
		}
	}
	var channel *gofeed.Feed
	var rootItems []*gofeed.Item
	for {
		switch d.s.next() {
		case tokEnd:
			if channel == nil {
				channel = &gofeed.Feed{}
			}
			channel.Items = append(channel.Items, rootItems...)
			return channel
		case tokEOF:
			return nil
		}
		space, local, ok := d.space()
		if !ok {
			return nil
		}
		switch {
		case !d.isNative(space):
			ok = d.s.skip()
		case lowerIs(local, "channel"):
			channel = d.rssChannel()
			ok = channel != nil
		case lowerIs(local, "item"):
			var it *gofeed.Item
			it, ok = d.rssItem()
			rootItems = append(rootItems, it)
		default:
			ok = d.s.skip()
		}
		if !ok {
			return nil
		}
	}
}

// rssChannel reads a channel element.
func (d *doc) rssChannel() *gofeed.Feed {
	f := &gofeed.Feed{Items: []*gofeed.Item{}}
	var link string
	var dcTitle firstValue
	var atomLink [len(atomKeys)]firstValue
	for {
		switch d.s.next() {
		case tokEnd:
			if f.Title == "" && dcTitle.set {
				f.Title = dcTitle.s
			}
			f.Link = link
			if f.Link == "" {
				for _, l := range atomLink {
					if l.set {
						f.Link = l.s
						break
					}
				}
			}
			return f
		case tokEOF:
			return nil
		}
		space, local, ok := d.space()
		if !ok {
			return nil
		}
		if !d.isNative(space) {
			prefix := d.prefixFor(space)
			switch k := atomIndex(prefix); {
			case prefix == "dc" && string(local) == "title" && !dcTitle.set:
				ok = d.first(&dcTitle)
			case k >= 0 && string(local) == "link" && !atomLink[k].set:
				var attrs map[string]string
				if attrs, ok = d.extAttrs(); ok {
					if rel := attrs["rel"]; rel == "" || rel == "alternate" {
						atomLink[k] = firstValue{attrs["href"], true}
					}
					ok = d.s.skip()
				}
			default:
				ok = d.s.skip()
			}
		} else {
			switch lower(local) {
			case "title":
				f.Title, ok = d.text()
			case "link":
				link, ok = d.rssLink()
			case "item":
				var it *gofeed.Item
				if it, ok = d.rssItem(); ok {
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

// rssLink is gofeed's parseLink: the text, else the href attribute.
func (d *doc) rssLink() (string, bool) {
	href, ok := d.uriAttr("href")
	if !ok {
		return "", false
	}
	u, ok := d.text()
	if u == "" {
		u = href
	}
	return u, ok
}

// rssItemData is what gofeed's rss.Item holds of an item, as far as the
// translator reads it for the fields Parse fills.
type rssItemData struct {
	title, description, content, link, author, pubDate string
	links                                              []string
	pubDateParsed                                      *time.Time
	guid                                               *string
	enclosures                                         []*gofeed.Enclosure
	dc                                                 *ext.DublinCoreExtension
	itunes                                             bool
	itunesImage, itunesAuthor, itunesSummary           firstValue
	atom                                               [len(atomKeys)]atomExt
	exts                                               ext.Extensions // media only
}

// atomExt is what the RSS translator reads of the Atom elements of one
// prefix: the first value of each and the first author's name and email.
type atomExt struct {
	present     bool
	values      [len(atomElems)]firstValue
	authored    bool
	name, email firstValue
}

// atomElems are the Atom elements whose first value atomExt keeps, in the
// order of atomExt.values.
var atomElems = [...]string{"content", "summary", "updated", "published"}

// value returns the first value of the named element, if any.
func (a *atomExt) value(name string) (string, bool) {
	if i := slices.Index(atomElems[:], name); i >= 0 {
		return a.values[i].s, a.values[i].set
	}
	return "", false
}

// firstValue is the first value of an element that the translator reads
// only once: set once the element was met.
type firstValue struct {
	s   string
	set bool
}

// first reads the current element's value into v, or skips the element
// when v has its value already.
func (d *doc) first(v *firstValue) bool {
	if v.set {
		return d.s.skip()
	}
	var ok bool
	v.s, ok = d.extValue()
	v.set = true
	return ok
}

// rssItem reads an item element.
func (d *doc) rssItem() (*gofeed.Item, bool) {
	var r rssItemData
	if _, _, ok := d.space(); !ok {
		return nil, false
	}
	for {
		switch d.s.next() {
		case tokEnd:
			return r.item(), true
		case tokEOF:
			return nil, false
		}
		space, local, ok := d.space()
		if !ok {
			return nil, false
		}
		name := lower(local)
		if name == "encoded" && d.prefixFor(space) == "content" {
			r.content, ok = d.text()
		} else if !d.isNative(space) {
			ok = d.rssExt(&r, d.prefixFor(space), local)
		} else {
			switch name {
			case "title":
				r.title, ok = d.text()
			case "description":
				r.description, ok = d.text()
			case "link":
				if r.link, ok = d.rssLink(); ok {
					r.links = append(r.links, r.link)
				}
			case "author":
				r.author, ok = d.text()
			case "pubdate":
				if r.pubDate, ok = d.text(); ok {
					// An unparsable later pubDate keeps the earlier date, as in gofeed.
					if t := dateUTC(r.pubDate); t != nil {
						r.pubDateParsed = t
					}
				}
			case "enclosure":
				var e gofeed.Enclosure
				if e.URL, ok = d.s.attr("url"); ok {
					if e.Length, ok = d.s.attr("length"); ok {
						if e.Type, ok = d.s.attr("type"); ok {
							ok = d.s.skip()
						}
					}
				}
				r.enclosures = append(r.enclosures, &e)
			case "guid":
				var g string
				g, ok = d.text()
				r.guid = &g
			default:
				ok = d.s.skip()
			}
		}
		if !ok {
			return nil, false
		}
	}
}

// rssExt reads an extension element of an item.
func (d *doc) rssExt(r *rssItemData, prefix string, local []byte) bool {
	name := string(local)
	var ok bool
	switch prefix {
	case "dc":
		if r.dc == nil {
			r.dc = &ext.DublinCoreExtension{}
		}
		var list *[]string
		switch name {
		case "title":
			list = &r.dc.Title
		case "creator":
			list = &r.dc.Creator
		case "author":
			list = &r.dc.Author
		case "description":
			list = &r.dc.Description
		case "date":
			list = &r.dc.Date
		default:
			return d.s.skip()
		}
		var v string
		if v, ok = d.extValue(); ok {
			*list = append(*list, v)
		}
		return ok
	case "itunes":
		r.itunes = true
		switch name {
		case "image":
			if !r.itunesImage.set {
				var attrs map[string]string
				if attrs, ok = d.extAttrs(); !ok {
					return false
				}
				r.itunesImage = firstValue{attrs["href"], true}
			}
			return d.s.skip()
		case "author":
			return d.first(&r.itunesAuthor)
		case "summary":
			return d.first(&r.itunesSummary)
		}
		return d.s.skip()
	case "media":
		return d.mediaExt(&r.exts, local)
	}
	k := atomIndex(prefix)
	if k < 0 {
		return d.s.skip()
	}
	a := &r.atom[k]
	a.present = true
	if i := slices.Index(atomElems[:], name); i >= 0 {
		return d.first(&a.values[i])
	}
	switch name {
	case "author":
		if a.authored {
			return d.s.skip()
		}
		a.authored = true
		_, ok = d.s.text(func() bool {
			_, l := splitName(d.s.name)
			switch string(l) {
			case "name":
				return d.first(&a.name)
			case "email":
				return d.first(&a.email)
			}
			return d.s.skip()
		})
		return ok
	}
	return d.s.skip()
}

// atomValue is the translator's atomExtValue.
func (r *rssItemData) atomValue(name string) string {
	for k := range r.atom {
		if !r.atom[k].present {
			continue
		}
		if v, ok := r.atom[k].value(name); ok {
			return v
		}
	}
	return ""
}

// atomChild is the translator's atomExtChild for the author's name or email.
func (r *rssItemData) atomChild(email bool) string {
	for k := range r.atom {
		a := &r.atom[k]
		if !a.authored {
			continue
		}
		if email && a.email.set {
			return a.email.s
		}
		if !email && a.name.set {
			return a.name.s
		}
	}
	return ""
}

// item is gofeed's DefaultRSSTranslator.translateFeedItem for the fields
// Parse fills.
func (r *rssItemData) item() *gofeed.Item {
	it := &gofeed.Item{
		Link:          r.link,
		DublinCoreExt: r.dc,
		Extensions:    r.exts,
	}
	dc := r.dc
	it.Title = r.title
	if it.Title == "" && dc != nil {
		it.Title = first(dc.Title)
	}
	switch {
	case r.description != "":
		it.Description = r.description
	case dc != nil && dc.Description != nil:
		it.Description = first(dc.Description)
	case r.itunes && r.itunesSummary.s != "":
		it.Description = r.itunesSummary.s
	}
	if it.Description == "" {
		it.Description = r.atomValue("summary")
	}
	it.Content = r.content
	if it.Content == "" {
		it.Content = r.atomValue("content")
	}
	if len(r.links) > 0 {
		it.Links = r.links
	}

	it.PublishedParsed = r.pubDateParsed
	if it.PublishedParsed == nil {
		var text string
		if dc != nil && dc.Date != nil {
			text = first(dc.Date)
		}
		if text == "" {
			text = r.atomValue("published")
		}
		if text != "" {
			if t, err := parseDate(text); err == nil {
				it.PublishedParsed = &t
			}
		}
	}
	var updated string
	if dc != nil && dc.Date != nil {
		updated = first(dc.Date)
	}
	if updated == "" {
		updated = r.atomValue("updated")
	}
	if updated != "" {
		if t, err := parseDate(updated); err == nil {
			it.UpdatedParsed = &t
		}
	}

	var author *gofeed.Person
	switch {
	case r.author != "":
		author = person(r.author)
	case dc != nil && dc.Author != nil:
		author = person(first(dc.Author))
	case dc != nil && dc.Creator != nil:
		author = person(first(dc.Creator))
	case r.itunes && r.itunesAuthor.s != "":
		author = person(r.itunesAuthor.s)
	default:
		if name, email := r.atomChild(false), r.atomChild(true); name != "" || email != "" {
			author = &gofeed.Person{Name: name, Email: email}
		}
	}
	if author != nil {
		it.Author = author
		it.Authors = []*gofeed.Person{author}
	}
	if r.guid != nil {
		it.GUID = *r.guid
	}
	it.Image = r.image()
	for _, e := range r.enclosures {
		it.Enclosures = append(it.Enclosures, &gofeed.Enclosure{URL: e.URL, Type: e.Type, Length: e.Length})
	}
	return it
}

// image is the translator's translateItemImage without the content scan.
func (r *rssItemData) image() *gofeed.Image {
	if r.itunes && r.itunesImage.s != "" {
		return &gofeed.Image{URL: r.itunesImage.s}
	}
	for _, c := range r.exts["media"]["content"] {
		if strings.Contains(c.Attrs["type"], "image") || strings.Contains(c.Attrs["medium"], "image") {
			return &gofeed.Image{URL: c.Attrs["url"]}
		}
	}
	for _, e := range r.enclosures {
		if strings.HasPrefix(e.Type, "image/") {
			return &gofeed.Image{URL: e.URL}
		}
	}
	return nil
}

// person is gofeed's personFromText.
func person(s string) *gofeed.Person {
	name, address := parseNameAddress(s)
	return &gofeed.Person{Name: name, Email: address}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
