package ui

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kiosk-reader/kiosk/fetch"
)

// fixturePicture is testdata/picture.png, a 48×32 PNG with a transparent
// top-left corner, as the cache would store it.
func fixturePicture(t testing.TB, url string) fetch.Picture {
	t.Helper()
	data, err := os.ReadFile("testdata/picture.png")
	if err != nil {
		t.Fatal(err)
	}
	return fetch.Picture{URL: url, Type: "image/png", Width: 48, Height: 32, Data: data}
}

// jpegPicture is a w×h JPEG with a gradient, like a stored photo.
func jpegPicture(t testing.TB, url string, w, h int) fetch.Picture {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return fetch.Picture{URL: url, Type: "image/jpeg", Width: w, Height: h, Data: buf.Bytes()}
}

func TestHalfblocksGolden(t *testing.T) {
	p := fixturePicture(t, "https://example.com/a.png")
	img, err := decodePicture(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{24, 40} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			// Scaled up to the width, keeping the aspect ratio (a cell is 1:2).
			cols, rows := width, (width*p.Height+p.Width)/(2*p.Width)
			lines := halfblockLines(img, cols, rows)
			if len(lines) != rows {
				t.Fatalf("halfblockLines gave %d lines, want %d", len(lines), rows)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != cols {
					t.Errorf("line %d is %d cells wide, want %d", i, w, cols)
				}
			}
			golden.RequireEqual(t, strings.Join(lines, "\n")+"\n")
		})
	}
}

func TestHalfblocksColours(t *testing.T) {
	// A 1×2 picture: red above, blue below, one cell.
	img := image.NewNRGBA(image.Rect(0, 0, 1, 2))
	img.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	img.Set(0, 1, color.NRGBA{0, 0, 255, 255})
	got := halfblockLines(img, 1, 1)
	want := []string{"\x1b[38;2;255;0;0m\x1b[48;2;0;0;255m▀\x1b[m"}
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("halfblockLines(red over blue) = %q, want %q", got, want)
	}
	// Transparent above: the lower half block in the lower colour.
	img.Set(0, 0, color.NRGBA{})
	if got := halfblockLines(img, 1, 1); got[0] != "\x1b[38;2;0;0;255m▄\x1b[m" {
		t.Errorf("halfblockLines(transparent over blue) = %q", got)
	}
}

func TestFitCells(t *testing.T) {
	tests := []struct {
		pw, ph, cols, rows int
		wantC, wantR       int
	}{
		{1200, 800, 96, 100, 96, 32},   // full width, a cell is 1:2
		{1200, 800, 96, 16, 48, 16},    // capped height, narrower
		{200, 100, 96, 40, 20, 5},      // natural size: 10 px a column
		{100, 4000, 96, 10, 1, 10},     // a sliver still shows
		{0, 100, 96, 10, 0, 0},         // no size, no picture
		{1200, 800, 0, 10, 0, 0},       // no room
		{1600, 400, 297, 297, 160, 20}, // wide
	}
	for _, tt := range tests {
		c, r := fitCells(tt.pw, tt.ph, tt.cols, tt.rows)
		if c != tt.wantC || r != tt.wantR {
			t.Errorf("fitCells(%d, %d, %d, %d) = %d, %d, want %d, %d", tt.pw, tt.ph, tt.cols, tt.rows, c, r, tt.wantC, tt.wantR)
		}
	}
}

func TestKittyPlaceholdersGolden(t *testing.T) {
	id := uint32(0x0a0b0c)
	lines := kittyPlaceholderLines(id, 6, 3)
	for row, l := range lines {
		if w := ansi.StringWidth(l); w != 6 {
			t.Errorf("row %d is %d cells wide, want 6", row, w)
		}
		if !strings.HasPrefix(l, "\x1b[38;2;10;11;12m") {
			t.Errorf("row %d does not start with the image ID as foreground: %q", row, l)
		}
		cells := []rune(ansi.Strip(l))
		for col := range 6 {
			cell := cells[col*3 : col*3+3]
			if cell[0] != kitty.Placeholder || cell[1] != kitty.Diacritic(row) || cell[2] != kitty.Diacritic(col) {
				t.Errorf("cell %d,%d = %q, want placeholder with row and column diacritics", row, col, string(cell))
			}
		}
	}
	golden.RequireEqual(t, strings.Join(lines, "\n")+"\n")
}

func TestKittyTransmit(t *testing.T) {
	p := fixturePicture(t, "https://example.com/a.png")
	seq, err := kittyTransmit(p, 42, 10, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "\x1b_Gf=100,q=2,i=42,U=1,c=10,r=4,a=T;" + base64.StdEncoding.EncodeToString(p.Data) + "\x1b\\"
	if seq != want {
		t.Errorf("kittyTransmit(small PNG) = %q, want %q", seq, want)
	}

	// A JPEG is sent as PNG, in chunks of 4096 bytes of base64.
	big := jpegPicture(t, "https://example.com/b.jpg", 400, 300)
	seq, err = kittyTransmit(big, 7, 40, 15, true)
	if err != nil {
		t.Fatal(err)
	}
	chunks := regexp.MustCompile(`\x1bPtmux;\x1b\x1b_G([^;]*);([A-Za-z0-9+/=]*)\x1b\x1b\\\x1b\\`).FindAllStringSubmatch(seq, -1)
	if len(chunks) < 2 {
		t.Fatalf("kittyTransmit(JPEG, tmux) = %d tmux-wrapped chunks, want several: %.200q", len(chunks), seq)
	}
	var payload strings.Builder
	for i, c := range chunks {
		switch {
		case i == 0 && c[1] != "f=100,q=2,i=7,U=1,c=40,r=15,a=T,m=1":
			t.Errorf("first chunk options = %q", c[1])
		case i > 0 && i < len(chunks)-1 && c[1] != "q=2,m=1":
			t.Errorf("chunk %d options = %q, want q=2,m=1", i, c[1])
		case i == len(chunks)-1 && c[1] != "q=2,m=0":
			t.Errorf("last chunk options = %q, want q=2,m=0", c[1])
		}
		if i < len(chunks)-1 && len(c[2]) != kitty.MaxChunkSize {
			t.Errorf("chunk %d holds %d bytes, want %d", i, len(c[2]), kitty.MaxChunkSize)
		}
		payload.WriteString(c[2])
	}
	data, err := base64.StdEncoding.DecodeString(payload.String())
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || format != "png" || img.Bounds().Dx() != 400 {
		t.Errorf("payload decodes to %s %v, %v; want a 400 px wide PNG", format, img.Bounds(), err)
	}
}

func TestKittyImageIDs(t *testing.T) {
	a := kittyImageID("https://example.com/a.png", 40, 10)
	if a == 0 || a > 0xffffff {
		t.Errorf("kittyImageID = %#x, want a non-zero 24-bit ID", a)
	}
	if b := kittyImageID("https://example.com/a.png", 41, 10); b == a {
		t.Errorf("kittyImageID is the same for two sizes: %#x", a)
	}
	if b := kittyImageID("https://example.com/a.png", 40, 10); b != a {
		t.Errorf("kittyImageID is not stable: %#x, then %#x", a, b)
	}
}

func TestDetectImageProtocol(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TERM": "xterm-kitty"}, ProtocolKitty},
		{map[string]string{"TERM": "tmux-256color", "KITTY_WINDOW_ID": "3"}, ProtocolKitty},
		{map[string]string{"TERM": "xterm-ghostty"}, ProtocolKitty},
		{map[string]string{"TERM_PROGRAM": "ghostty", "TERM": "xterm-256color"}, ProtocolKitty},
		{map[string]string{"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, ProtocolITerm2},
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, ProtocolITerm2},
		{map[string]string{"LC_TERMINAL": "iTerm2", "TERM": "screen"}, ProtocolITerm2},
		{map[string]string{"TERM": "foot"}, ProtocolSixel},
		{map[string]string{"TERM": "foot-extra"}, ProtocolSixel},
		{map[string]string{"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, ProtocolSixel},
		{map[string]string{"TERM": "xterm", "XTERM_VERSION": "XTerm(390)"}, ProtocolSixel},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, ProtocolHalfblocks},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "24bit"}, ProtocolHalfblocks},
		{map[string]string{"TERM": "xterm-256color"}, ProtocolNone},
		{map[string]string{"TERM": "xterm-kitty", "NO_COLOR": "1"}, ProtocolNone},
		{map[string]string{"TERM": "dumb", "COLORTERM": "truecolor"}, ProtocolNone},
		{map[string]string{"TERM": "linux", "COLORTERM": "truecolor"}, ProtocolNone},
		{nil, ProtocolNone},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := DetectImageProtocol(getenv); got != tt.want {
			t.Errorf("DetectImageProtocol(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestReaderProtocol(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	kittyTerm := env(map[string]string{"TERM": "xterm-kitty"})
	iterm := env(map[string]string{"TERM_PROGRAM": "iTerm.app"})
	foot := env(map[string]string{"TERM": "foot"})
	plain := env(map[string]string{"TERM": "xterm-256color"})
	noColor := env(map[string]string{"TERM": "xterm-kitty", "NO_COLOR": "1"})
	tests := []struct {
		setting string
		getenv  func(string) string
		want    string
	}{
		{"auto", kittyTerm, ProtocolKitty},
		{"", kittyTerm, ProtocolKitty},
		{"auto", iterm, ProtocolHalfblocks}, // OSC images cannot live in bubbletea's cells
		{"auto", foot, ProtocolHalfblocks},  // nor sixel pixels
		{"auto", plain, ProtocolNone},
		{"kitty", plain, ProtocolKitty}, // the setting overrides detection
		{"iterm2", plain, ProtocolHalfblocks},
		{"sixel", kittyTerm, ProtocolHalfblocks},
		{"halfblocks", kittyTerm, ProtocolHalfblocks},
		{"none", kittyTerm, ProtocolNone},
		{"kitty", noColor, ProtocolNone}, // the renderer strips the colours
		{"bogus", kittyTerm, ProtocolNone},
	}
	for _, tt := range tests {
		if got := readerProtocol(tt.setting, tt.getenv); got != tt.want {
			t.Errorf("readerProtocol(%q, …) = %q, want %q", tt.setting, got, tt.want)
		}
	}
	if got := ResolveImageProtocol("auto", iterm); got != ProtocolITerm2 {
		t.Errorf("ResolveImageProtocol(auto, iTerm2) = %q, want iterm2", got)
	}
}

// pictureArticle is an article with a hero figure and two inline figures,
// one of them without a reference number.
func pictureArticle() fetch.Article {
	return fetch.Article{
		ID: "9675153", Rule: "heise", Title: "Schoigu-Anruf", Lead: "Russischer Verteidigungsminister droht Paris.",
		Hero: &fetch.Figure{Image: "https://example.com/hero.png", Caption: "In Paris sieht jemand die Fernsehübertragung", Credit: "Hadrian / Shutterstock.com", Ref: 2},
		Figures: []fetch.Figure{
			{Image: "https://example.com/inline.jpg", Caption: "Ein Bild im Text", Ref: 3},
			{Image: "https://example.com/plain.png", Caption: "Ohne Nummer"},
		},
		Body: "Erster Absatz mit einem Link [1].\n\n**Bild** [3]: *Ein Bild im Text*\n\nZweiter Absatz.\n\n**Bild**: *Ohne Nummer*\n\nLetzter Absatz.",
		References: []fetch.Reference{
			{N: 1, URL: "https://example.com/link"},
			{N: 2, URL: "https://example.com/hero.png", Image: true},
			{N: 3, URL: "https://example.com/inline.jpg", Image: true},
		},
	}
}

func TestCaptionLines(t *testing.T) {
	a := pictureArticle()
	out, err := NewRenderer().Render(fetch.Markdown(a), 60, StyleDark)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	at := captionLines(lines, articleFigures(a))
	wants := []string{"Bild [2]: In Paris", "Bild [3]: Ein Bild", "Bild: Ohne Nummer"}
	if len(at) != len(wants) {
		t.Fatalf("captionLines found %d captions, want %d: %v", len(at), len(wants), at)
	}
	for f, want := range wants {
		line, ok := at[f]
		if !ok {
			t.Errorf("figure %d: no caption found", f)
			continue
		}
		if got := strings.TrimSpace(ansi.Strip(lines[line])); !strings.HasPrefix(got, want) {
			t.Errorf("figure %d: caption line %q, want it to start with %q", f, got, want)
		}
	}
}

func TestWithPicturesGoesAboveTheCaption(t *testing.T) {
	a := pictureArticle()
	pics := []fetch.Picture{fixturePicture(t, "https://example.com/hero.png"), jpegPicture(t, "https://example.com/inline.jpg", 120, 60)}
	for _, width := range []int{40, 80} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			out, err := RenderWithPictures(fetch.Markdown(a), a, pics, width, StyleNoColor, PictureOptions{Protocol: ProtocolHalfblocks, MaxRows: 8})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(out, "\n")
			for _, caption := range []string{"Bild [2]:", "Bild [3]:"} {
				i := indexOfPrefix(lines, caption)
				if i < 1 || !strings.Contains(lines[i-1], "▀") {
					t.Errorf("the line above %q is %q, want a picture line", caption, lineAt(lines, i-1))
				}
			}
			if i := indexOfPrefix(lines, "Bild: Ohne"); i < 1 || strings.Contains(lines[i-1], "▀") {
				t.Errorf("a figure without a stored picture got one: %q", lineAt(lines, i-1))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("line %d is %d cells wide, more than %d", i, w, width)
				}
			}
			golden.RequireEqual(t, out)
		})
	}
}

func TestRenderWithPicturesProtocols(t *testing.T) {
	a := pictureArticle()
	pics := []fetch.Picture{fixturePicture(t, "https://example.com/hero.png")}
	render := func(proto string) string {
		t.Helper()
		var skipped []error
		out, err := RenderWithPictures(fetch.Markdown(a), a, pics, 60, StyleDark, PictureOptions{Protocol: proto, Skipped: func(err error) { skipped = append(skipped, err) }})
		if err != nil {
			t.Fatal(err)
		}
		if len(skipped) > 0 {
			t.Errorf("%s: skipped %v", proto, skipped)
		}
		return out
	}
	plain, err := NewRenderer().Render(fetch.Markdown(a), 60, StyleDark)
	if err != nil {
		t.Fatal(err)
	}
	if got := render(ProtocolNone); got != plain {
		t.Errorf("protocol none changed the rendering")
	}
	if got := render(ProtocolKitty); !strings.Contains(got, "\x1b_Gf=100,q=2,i=") || !strings.ContainsRune(got, kitty.Placeholder) {
		t.Errorf("kitty output lacks the transmission or the placeholders")
	}
	if got := render(ProtocolITerm2); !strings.Contains(got, "\x1b]1337;File=size=") || !strings.Contains(got, "width=5;height=2;inline=1:") {
		t.Errorf("iTerm2 output lacks the inline image: %.300q", got)
	}
	got := render(ProtocolSixel)
	if !strings.Contains(got, "\x1bP0;1q\"1;1;50;40") {
		t.Errorf("sixel output lacks the sixel image of 5×2 cells: %.300q", got)
	}
	// Room is made (two lines), the cursor goes back up, is saved and restored around the image.
	if !strings.Contains(got, "\n\n\x1b[2A\x1b7\x1b[2C\x1bP") || !strings.Contains(got, "\x1b\\\x1b8\n\n") {
		t.Errorf("sixel is not placed with room made and the cursor restored")
	}
}

func TestBrokenPictureIsSkipped(t *testing.T) {
	a := pictureArticle()
	good := fixturePicture(t, "https://example.com/hero.png")
	bad := jpegPicture(t, "https://example.com/inline.jpg", 64, 64)
	bad.Data = bad.Data[:len(bad.Data)/3] // truncated
	var skipped []error
	out, err := RenderWithPictures(fetch.Markdown(a), a, []fetch.Picture{good, bad}, 60, StyleDark,
		PictureOptions{Protocol: ProtocolHalfblocks, Skipped: func(err error) { skipped = append(skipped, err) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "inline.jpg") {
		t.Errorf("skipped = %v, want the truncated JPEG", skipped)
	}
	if strings.Count(out, "▀") == 0 {
		t.Errorf("the good picture is not drawn")
	}
	huge := fetch.Picture{URL: "https://example.com/hero.png", Data: pngHeader(50000, 50000)}
	if _, err := decodePicture(huge); err == nil {
		t.Errorf("decodePicture(50000×50000) = nil error, want a refusal")
	}
}

// pngHeader is a 1×1 PNG whose header claims w×h pixels.
func pngHeader(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	// The IHDR chunk: length at 8, type at 12, width and height at 16, CRC at 29.
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func indexOfPrefix(lines []string, prefix string) int {
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(ansi.Strip(l)), prefix) {
			return i
		}
	}
	return -1
}

func lineAt(lines []string, i int) string {
	if i < 0 || i >= len(lines) {
		return ""
	}
	return lines[i]
}
