package fetch

import (
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// ServerItem is one entry as a feed server (Miniflux, a Google Reader API
// server) hands it over: the fields of the feed item the server polled.
type ServerItem struct {
	FeedURL   string // the subscription's feed URL
	GUID      string // the item's GUID when the server tells it, else ""
	Link      string
	Title     string
	Content   string // HTML
	Author    string
	Published time.Time
	Updated   time.Time
}

// EntryFromServer turns a server's item into an Entry as the feed parser
// turns the same item (cleaned link, title, teaser, image; the same ID
// when the server passes the GUID on, or the item has none). Servers that
// keep the GUID to themselves give an ID from the link: remote.Sync maps
// such an item to the entry the feed gave kiosk by its link. false when
// the item has no usable link.
func EntryFromServer(si ServerItem) (Entry, bool) {
	it := &gofeed.Item{
		Title:       si.Title,
		Link:        si.Link,
		GUID:        si.GUID,
		Description: si.Content,
		Content:     si.Content,
	}
	if a := strings.TrimSpace(si.Author); a != "" {
		it.Authors = []*gofeed.Person{{Name: a}}
	}
	if !si.Published.IsZero() {
		p := si.Published
		it.PublishedParsed = &p
	}
	if !si.Updated.IsZero() {
		u := si.Updated
		it.UpdatedParsed = &u
	}
	base, err := url.Parse(si.Link)
	if err != nil {
		base = nil
	}
	return entryOf(si.FeedURL, base, it)
}
