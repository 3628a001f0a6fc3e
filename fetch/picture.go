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
	// Preview is the same picture at most PreviewWidth pixels wide (empty
	// when Data is that small already): what half-blocks need, decoded in
	// a millisecond instead of the 30 ms of a 1200-pixel JPEG.
	Preview []byte `json:"-"`
}

// PreviewWidth is the width of Picture.Preview: a half-block picture uses
// one pixel a column, and no reader is wider than 256 columns.
const PreviewWidth = 256
