package fetch

import "time"

// Feed is a subscribed feed as a fetch sees it.
type Feed struct {
	URL          string `json:"url"`
	Title        string `json:"title"`
	SiteURL      string `json:"site_url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Entry is one item of a feed. All text fields are cleaned with CleanText.
type Entry struct {
	ID        string    `json:"id"`   // stable ID, see StableID
	Feed      string    `json:"feed"` // URL of the feed it came from
	GUID      string    `json:"guid,omitempty"`
	URL       string    `json:"url"` // article URL, tracking parameters removed
	Title     string    `json:"title"`
	Summary   string    `json:"summary,omitempty"` // plain text teaser
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published"` // zero when the feed gives none
	Updated   time.Time `json:"updated"`
	Image     string    `json:"image,omitempty"`
	Paywalled bool      `json:"paywalled,omitempty"`
}
