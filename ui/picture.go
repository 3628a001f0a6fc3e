package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // stored pictures are JPEG or PNG
	_ "image/png"
	"strconv"
	"strings"

	"golang.org/x/image/draw"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Image protocols: the values of the image_protocol setting. Auto picks one
// from the environment (DetectImageProtocol).
const (
	ProtocolAuto       = "auto"
	ProtocolKitty      = "kitty"      // kitty graphics protocol, Unicode placeholders
	ProtocolITerm2     = "iterm2"     // iTerm2 inline images (OSC 1337)
	ProtocolSixel      = "sixel"      // DEC sixel graphics
	ProtocolHalfblocks = "halfblocks" // "▀" cells with 24-bit colours
	ProtocolNone       = "none"
)

// ImageProtocols lists the values image_protocol accepts.
func ImageProtocols() []string {
	return []string{ProtocolAuto, ProtocolKitty, ProtocolITerm2, ProtocolSixel, ProtocolHalfblocks, ProtocolNone}
}

// DetectImageProtocol picks the best image protocol of the terminal kiosk
// writes to, from its environment: the kitty graphics protocol for kitty
// and Ghostty; iTerm2 inline images for iTerm2 and WezTerm (WezTerm speaks
// the kitty protocol too, but its releases do not draw kitty's Unicode
// placeholders); sixel for foot, xterm and Konsole; half-blocks on any
// other truecolor terminal; none with NO_COLOR, TERM=dumb or linux, or
// without truecolor. The answer is for writing to the terminal directly (kiosk
// read); the reader adapts it with readerProtocol.
func DetectImageProtocol(getenv func(string) string) string {
	term, prog := getenv("TERM"), getenv("TERM_PROGRAM")
	switch {
	case getenv("NO_COLOR") != "", term == "dumb", term == "linux":
		return ProtocolNone
	case term == "xterm-kitty", getenv("KITTY_WINDOW_ID") != "":
		return ProtocolKitty
	case prog == "ghostty", term == "xterm-ghostty":
		return ProtocolKitty
	case prog == "WezTerm", prog == "iTerm.app", getenv("LC_TERMINAL") == "iTerm2":
		return ProtocolITerm2
	case term == "foot", strings.HasPrefix(term, "foot-"), getenv("KONSOLE_VERSION") != "", getenv("XTERM_VERSION") != "":
		// Konsole draws kitty images too, but not their Unicode
		// placeholders; xterm draws sixel when built with it (and ignores
		// the sequence otherwise).
		return ProtocolSixel
	}
	switch strings.ToLower(getenv("COLORTERM")) {
	case "truecolor", "24bit":
		return ProtocolHalfblocks
	}
	return ProtocolNone
}

// ResolveImageProtocol turns the image_protocol setting into a protocol for
// writing to the terminal directly: "auto" (or "") detects it, any other
// value is taken as it is.
func ResolveImageProtocol(setting string, getenv func(string) string) string {
	if setting == "" || setting == ProtocolAuto {
		return DetectImageProtocol(getenv)
	}
	return setting
}

// readerProtocol is the protocol the reader uses: bubbletea's renderer
// draws cells, so only pictures made of cells can live in it. Kitty's
// Unicode placeholders are cells; iTerm2 images are OSC sequences, which
// the renderer drops, and sixel images are pixels drawn at the cursor, which
// the renderer neither knows about nor erases when it scrolls: both become
// half-blocks. Without colour (NO_COLOR) the renderer strips the colours
// that half-blocks and placeholders need, so there are no pictures.
func readerProtocol(setting string, getenv func(string) string) string {
	if getenv("NO_COLOR") != "" {
		return ProtocolNone
	}
	p := ResolveImageProtocol(setting, getenv)
	switch p {
	case ProtocolKitty, ProtocolHalfblocks, ProtocolNone:
		return p
	case ProtocolITerm2, ProtocolSixel:
		return ProtocolHalfblocks
	}
	return ProtocolNone
}

// Cell geometry: a terminal cell is about twice as high as it is wide. A
// picture is shown no wider than its natural size at cellPixels pixels a
// column, so a small picture is not blown up across the page.
const (
	cellAspect = 2  // cell height / cell width
	cellPixels = 10 // pixels a column, for a picture's natural width
	maxDecode  = 4096
)

// fitCells is the size in cells of a pw×ph pixel picture shown in at most
// maxCols×maxRows cells, keeping its aspect ratio; 0, 0 when nothing fits.
func fitCells(pw, ph, maxCols, maxRows int) (cols, rows int) {
	if pw <= 0 || ph <= 0 || maxCols <= 0 || maxRows <= 0 {
		return 0, 0
	}
	cols = min(maxCols, max(1, (pw+cellPixels-1)/cellPixels))
	rows = (cols*ph + pw*cellAspect/2) / (pw * cellAspect) // rounded
	if rows > maxRows {
		rows = maxRows
		cols = min(maxCols, (rows*cellAspect*pw+ph/2)/ph)
	}
	return max(1, cols), max(1, rows)
}

// errPictureTooLarge refuses pictures bigger than the cache ever stores.
var errPictureTooLarge = errors.New("picture too large")

// decodePicture decodes a stored picture, checking its size before it
// decodes the pixels.
func decodePicture(p fetch.Picture) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Data))
	if err != nil {
		return nil, fmt.Errorf("decode picture %s: %w", p.URL, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxDecode || cfg.Height > maxDecode {
		return nil, fmt.Errorf("decode picture %s: %w (%d×%d)", p.URL, errPictureTooLarge, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(p.Data))
	if err != nil {
		return nil, fmt.Errorf("decode picture %s: %w", p.URL, err)
	}
	return img, nil
}

// scaleImage resizes img to w×h pixels (alpha premultiplied, as the
// scaler's fast paths want it). A large reduction first samples img
// bilinearly at 2×w×2×h, then averages that down with a widened kernel:
// nearly the quality of averaging every source pixel (no aliasing noise),
// at a fraction of its cost.
func scaleImage(img image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	src := img
	if sb := img.Bounds(); sb.Dx() > 8*w && sb.Dy() > 8*h {
		mid := image.NewRGBA(image.Rect(0, 0, 2*w, 2*h))
		draw.ApproxBiLinear.Scale(mid, mid.Rect, img, sb, draw.Src, nil)
		src = mid
	}
	draw.BiLinear.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return dst
}

// pixelAt is the colour of a scaled pixel, alpha no longer premultiplied.
func pixelAt(img *image.RGBA, x, y int) color.NRGBA {
	c := img.RGBAAt(x, y)
	if c.A == 0 || c.A == 255 {
		return color.NRGBA{c.R, c.G, c.B, c.A}
	}
	un := func(v uint8) uint8 { return uint8(min(255, (int(v)*255+int(c.A)/2)/int(c.A))) }
	return color.NRGBA{un(c.R), un(c.G), un(c.B), c.A}
}

// halfblockLines draws img in cols×rows cells of "▀": the upper pixel of a
// cell is the foreground colour, the lower one the background. A pixel more
// transparent than opaque shows the terminal's own background.
func halfblockLines(img image.Image, cols, rows int) []string {
	px := scaleImage(img, cols, rows*2)
	lines := make([]string, rows)
	buf := make([]byte, 0, cols*40)
	for row := range rows {
		buf = buf[:0]
		var fg, bg color.NRGBA
		fgSet, bgSet := false, false // the colours in force on this line
		for col := range cols {
			up := pixelAt(px, col, 2*row)
			down := pixelAt(px, col, 2*row+1)
			upOn, downOn := up.A >= 128, down.A >= 128
			glyph := "▀"
			switch {
			case !upOn && !downOn:
				glyph = " "
			case !upOn:
				glyph, up, upOn, downOn = "▄", down, true, false
			}
			if !downOn && bgSet { // the terminal's background below
				buf = append(buf, "\x1b[m"...)
				fgSet, bgSet = false, false
			}
			if upOn && (!fgSet || up != fg) {
				buf = appendSGRColor(buf, 38, up)
				fg, fgSet = up, true
			}
			if downOn && (!bgSet || down != bg) {
				buf = appendSGRColor(buf, 48, down)
				bg, bgSet = down, true
			}
			buf = append(buf, glyph...)
		}
		if fgSet || bgSet {
			buf = append(buf, "\x1b[m"...)
		}
		lines[row] = string(buf)
	}
	return lines
}

// appendSGRColor appends a 24-bit colour SGR: 38 for the foreground, 48
// for the background.
func appendSGRColor(b []byte, which int, c color.NRGBA) []byte {
	b = append(b, "\x1b["...)
	b = strconv.AppendInt(b, int64(which), 10)
	b = append(b, ";2;"...)
	b = strconv.AppendInt(b, int64(c.R), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(c.G), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(c.B), 10)
	return append(b, 'm')
}
