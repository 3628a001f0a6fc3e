package fetch

// Picture is an image of an article as kiosk stores it for offline
// reading: fetched at sync, checked, downscaled and re-encoded. URL is the
// image URL the article names (Figure.Image of its hero or an inline
// figure), so the reader finds the picture of each figure.
type Picture struct {
	URL    string `json:"url"`
	Type   string `json:"type"` // "image/jpeg" or "image/png"
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Data   []byte `json:"-"`
}
