package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"image"
	"image/draw"
	"image/png"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"

	"github.com/kiosk-reader/kiosk/fetch"
)

// The kitty graphics protocol with Unicode placeholders: the picture is
// transmitted once with a virtual placement of cols×rows cells (a=T, U=1),
// then drawn by text: every cell is U+10EEEE with two combining diacritics,
// its row and its column, in a foreground colour that is the image ID. The
// cells are ordinary text to bubbletea's renderer, so the picture scrolls,
// is clipped and is redrawn with the text around it. Each cell carries its
// own row and column (none is left for the terminal to infer from its left
// neighbour), because the renderer redraws only the cells that changed.

// kittyMaxCells is the number of row/column diacritics: the largest
// placement in cells.
const kittyMaxCells = 297

// kittyImageID is a picture's image ID for one placement size: 24 bits, so
// that the foreground colour carries all of it. A new size is a new image
// (and a new virtual placement), so two sizes of one picture never meet.
func kittyImageID(url string, cols, rows int) uint32 {
	h := fnv.New32a()
	h.Write([]byte(url)) // a hash.Hash never returns an error
	h.Write([]byte{0, byte(cols), byte(cols >> 8), byte(rows), byte(rows >> 8)})
	id := h.Sum32() & 0xffffff
	if id == 0 {
		id = 1
	}
	return id
}

// kittyPlaceholderLines are the rows of placeholder cells showing image id
// in cols×rows cells.
func kittyPlaceholderLines(id uint32, cols, rows int) []string {
	cols, rows = min(cols, kittyMaxCells), min(rows, kittyMaxCells)
	fg := fmt.Sprintf("\x1b[38;2;%d;%d;%dm", byte(id>>16), byte(id>>8), byte(id))
	lines := make([]string, rows)
	var b strings.Builder
	for row := range rows {
		b.Reset()
		b.Grow(len(fg) + cols*8 + 5)
		b.WriteString(fg)
		for col := range cols {
			b.WriteRune(kitty.Placeholder)
			b.WriteRune(kitty.Diacritic(row))
			b.WriteRune(kitty.Diacritic(col))
		}
		b.WriteString("\x1b[39m")
		lines[row] = b.String()
	}
	return lines
}

// kittyTransmit is the sequence that sends picture p to the terminal as
// image id, with a virtual placement of cols×rows cells: PNG data (a JPEG is
// re-encoded), base64 in chunks, no replies (q=2). In tmux every chunk is
// wrapped for passthrough.
func kittyTransmit(p fetch.Picture, id uint32, cols, rows int, tmux bool) (string, error) {
	data, err := pngData(p)
	if err != nil {
		return "", err
	}
	o := kitty.Options{
		Action: kitty.TransmitAndPut, Format: kitty.PNG, Quiet: 2, ID: int(id),
		Columns: min(cols, kittyMaxCells), Rows: min(rows, kittyMaxCells), VirtualPlacement: true,
	}
	payload := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for first := true; first || payload != ""; first = false {
		n := min(len(payload), kitty.MaxChunkSize)
		chunk := payload[:n]
		payload = payload[n:]
		var opts []string
		if first {
			opts = o.Options()
		} else {
			opts = []string{"q=2"}
		}
		if !first || payload != "" {
			more := "m=0"
			if payload != "" {
				more = "m=1"
			}
			opts = append(opts, more)
		}
		seq := ansi.KittyGraphics([]byte(chunk), opts...)
		if tmux {
			seq = ansi.TmuxPassthrough(seq)
		}
		b.WriteString(seq)
	}
	return b.String(), nil
}

// pngData is a picture as PNG: stored PNGs as they are, anything else
// decoded and encoded (fast rather than small: it only crosses the pty).
func pngData(p fetch.Picture) ([]byte, error) {
	if bytes.HasPrefix(p.Data, []byte("\x89PNG\r\n\x1a\n")) {
		return p.Data, nil
	}
	img, err := decodePicture(p)
	if err != nil {
		return nil, err
	}
	// image/png reads a JPEG's YCbCr pixel by pixel through its colour
	// model; converted to RGBA first (a fast path of draw), it is 4× faster.
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return encodePNG(rgba)
}

// encodePNG encodes img as PNG at the fastest compression.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode picture as PNG: %w", err)
	}
	return buf.Bytes(), nil
}
