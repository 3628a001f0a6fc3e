package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/iterm2"
	"github.com/charmbracelet/x/ansi/sixel"

	"github.com/kiosk-reader/kiosk/fetch"
)

// iTerm2 inline images and sixel draw pixels at the cursor, outside any
// cell model, so kiosk uses them only when it writes to the terminal itself
// (kiosk read). A picture then takes cols×rows cells below the cursor: the
// rows are made first (scrolling the screen if need be), the picture is
// drawn at their top with the cursor saved and restored around it, and the
// text goes on below.

// iterm2Sequence is picture p as an iTerm2 inline image of cols×rows cells;
// the terminal decodes the stored JPEG or PNG itself.
func iterm2Sequence(p fetch.Picture, cols, rows int) string {
	return ansi.ITerm2(iterm2.File{
		Size:   int64(len(p.Data)),
		Width:  iterm2.Cells(cols),
		Height: iterm2.Cells(rows),
		Inline: true,
		// The terminal keeps the aspect ratio inside the cells.
		Content: []byte(base64.StdEncoding.EncodeToString(p.Data)),
	})
}

// sixelSequence is img as sixel graphics of cols×rows cells of cellW×cellH
// pixels.
func sixelSequence(img image.Image, cols, rows, cellW, cellH int) (string, error) {
	px := scaleImage(img, cols*cellW, rows*cellH)
	var b bytes.Buffer
	if err := (&sixel.Encoder{}).Encode(&b, px); err != nil {
		return "", fmt.Errorf("encode sixel: %w", err)
	}
	// p2 = 1: pixels not drawn keep the background (terminals draw a
	// black bar with 0).
	return ansi.SixelGraphics(0, 1, 0, b.Bytes()), nil
}

// directLines places seq, a picture of rows lines drawn at the cursor, as
// rows lines of output: the first makes room, goes back up, saves the
// cursor, moves right by indent, draws and restores the cursor; the others
// are empty, so the text that follows lands below the picture.
func directLines(seq string, indent, rows int) []string {
	lines := make([]string, rows)
	var b strings.Builder
	b.WriteString(strings.Repeat("\n", rows))
	b.WriteString(ansi.CursorUp(rows))
	b.WriteString(ansi.SaveCursor)
	if indent > 0 {
		b.WriteString(ansi.CursorForward(indent))
	}
	b.WriteString(seq)
	b.WriteString(ansi.RestoreCursor)
	lines[0] = b.String()
	return lines
}
