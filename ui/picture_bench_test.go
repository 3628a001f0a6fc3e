package ui

import (
	"fmt"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

// BenchmarkPictureLines measures what opening an article with 8 stored
// pictures adds before they show: building the picture lines of 8 JPEGs of
// 1200×800 for a body of 100 columns, uncapped in height (96×32 cells
// each). Half-blocks decode and scale every picture (in parallel); kitty
// placeholders need only the stored size. The kitty transmission, which
// re-encodes a JPEG as PNG, runs after the picture is shown and is measured
// on its own.
func BenchmarkPictureLines(b *testing.B) {
	figs := make([]fetch.Figure, 8)
	pics := make([]fetch.Picture, 8)
	for i := range pics {
		u := fmt.Sprintf("https://example.com/%d.jpg", i)
		figs[i] = fetch.Figure{Image: u, Ref: i + 1}
		pics[i] = jpegPicture(b, u, 1200, 800)
	}
	// As the sync stores them: with a 256-pixel preview for half-blocks.
	stored := make([]fetch.Picture, len(pics))
	for i, p := range pics {
		sp, err := fetch.MakePicture(p.Data, p.Type, fetch.PictureOptions{})
		if err != nil {
			b.Fatal(err)
		}
		sp.URL = p.URL
		stored[i] = sp
	}
	for _, tc := range []struct {
		name  string
		proto string
		pics  []fetch.Picture
	}{
		{ProtocolHalfblocks, ProtocolHalfblocks, stored},
		{"halfblocks-no-preview", ProtocolHalfblocks, pics},
		{ProtocolKitty, ProtocolKitty, stored},
	} {
		proto, pics := tc.proto, tc.pics
		b.Run(tc.name, func(b *testing.B) {
			job := pictureJob{proto: proto, maxCols: pictureCols(100), maxRows: 40}
			for b.Loop() {
				blocks, err := buildPictures(pics, figs, job)
				if err != nil || len(blocks) != 8 {
					b.Fatalf("buildPictures = %d blocks, %v", len(blocks), err)
				}
			}
		})
	}
	b.Run("kitty-transmit-one", func(b *testing.B) {
		for b.Loop() {
			if _, err := kittyTransmit(pics[0], 1, 96, 32, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
