package ui

import (
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestHalfblocksUsePreview: half-blocks draw from the stored preview (a
// millisecond to decode) rather than the 1200-pixel picture; kitty uses
// the picture itself.
func TestHalfblocksUsePreview(t *testing.T) {
	full := jpegPicture(t, "https://example.com/a.jpg", 1200, 800)
	p, err := fetch.MakePicture(full.Data, full.Type, fetch.PictureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Preview) == 0 || len(p.Preview) >= len(p.Data) {
		t.Fatalf("preview of %d bytes for a %d-byte picture", len(p.Preview), len(p.Data))
	}
	p.URL = full.URL
	p.Data = []byte("not an image any more") // only the preview can be drawn now
	b, err := drawPicture(p, pictureJob{proto: ProtocolHalfblocks, maxCols: 80, maxRows: 20})
	if err != nil || len(b.lines) == 0 || !strings.Contains(b.lines[0], "▀") {
		t.Errorf("half-blocks from the preview: %d lines, %v", len(b.lines), err)
	}
	if _, err := drawPicture(p, pictureJob{proto: ProtocolKitty, maxCols: 80, maxRows: 20, direct: true}); err == nil {
		t.Errorf("kitty drew from the preview, not the picture")
	}
}
