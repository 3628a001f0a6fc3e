package fetch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/kiosk-reader/kiosk/fetch/internal/heappeak"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testImage is a w × h gradient, opaque or with a transparent corner.
func testImage(w, h int, alpha bool) image.Image {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if alpha && x < w/4 && y < h/4 {
				a = 0
			}
			m.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, a})
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a PNG whose header claims w × h pixels, followed by nothing
// a decoder could use: what a decompression bomb looks like to kiosk.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := func(typ string, data []byte) {
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(data)))
		b.Write(l[:])
		b.WriteString(typ)
		b.Write(data)
		var c [4]byte
		binary.BigEndian.PutUint32(c[:], crc32.ChecksumIEEE(append([]byte(typ), data...)))
		b.Write(c[:])
	}
	chunk("IHDR", ihdr)
	return b.Bytes()
}

// png16Header is the start of a 16-bit RGBA PNG of w × h: 8 bytes a pixel
// to decode, whatever it compresses to.
func png16Header(w, h uint32) []byte {
	b := pngBomb(w, h)
	// IHDR's bit depth and colour type sit at bytes 24 and 25; fix the CRC.
	b[24], b[25] = 16, 6
	crc := crc32.ChecksumIEEE(b[12:29])
	binary.BigEndian.PutUint32(b[29:], crc)
	return b
}

func TestMakePicture(t *testing.T) {
	webp, err := os.ReadFile(filepath.Join("testdata", "pictures", "blue-purple-pink.lossy.webp"))
	if err != nil {
		t.Fatal(err)
	}
	var animated bytes.Buffer
	pal := color.Palette{color.Black, color.White}
	frame := func(c uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 20, 10), pal)
		for i := range m.Pix {
			m.Pix[i] = c
		}
		return m
	}
	if err := gif.EncodeAll(&animated, &gif.GIF{Image: []*image.Paletted{frame(1), frame(0)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	big := encodeJPEG(t, testImage(2400, 1600, false))
	for _, tt := range []struct {
		name  string
		body  []byte
		ctype string
		typ   string
		w, h  int
	}{
		{"jpeg scaled to 1200", big, "image/jpeg", "image/jpeg", 1200, 800},
		{"small png kept", encodePNG(t, testImage(300, 200, false)), "image/png", "image/jpeg", 300, 200},
		{"png with alpha stays png", encodePNG(t, testImage(1600, 400, true)), "image/png", "image/png", 1200, 300},
		{"gif first frame", animated.Bytes(), "image/gif", "image/jpeg", 20, 10},
		{"webp", webp, "image/webp", "image/jpeg", 0, 0},
		{"tall png scaled to 3 × width", encodePNG(t, testImage(100, 4000, false)), "image/png", "image/jpeg", 90, 3600},
		{"no content type", big, "", "image/jpeg", 1200, 800},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := MakePicture(tt.body, tt.ctype, PictureOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Type != tt.typ || (tt.w > 0 && (p.Width != tt.w || p.Height != tt.h)) {
				t.Errorf("picture %s %d × %d, want %s %d × %d", p.Type, p.Width, p.Height, tt.typ, tt.w, tt.h)
			}
			m, _, err := image.Decode(bytes.NewReader(p.Data))
			if err != nil || m.Bounds().Dx() != p.Width || m.Bounds().Dy() != p.Height {
				t.Errorf("stored data does not decode to %d × %d: %v", p.Width, p.Height, err)
			}
			if tt.name == "gif first frame" {
				if r, _, _, _ := m.At(5, 5).RGBA(); r < 0xf000 {
					t.Errorf("gif: not the first (white) frame")
				}
			}
		})
	}
}

// TestMakePictureRefuses covers issue 11's bad input: each is refused with
// a reason, cheaply.
func TestMakePictureRefuses(t *testing.T) {
	jpg := encodeJPEG(t, testImage(400, 300, false))
	for _, tt := range []struct {
		name  string
		body  []byte
		ctype string
		want  string
	}{
		{"50000 × 50000 png header", pngBomb(50_000, 50_000), "image/png", "50000 × 50000 pixels"},
		{"truncated jpeg", jpg[:len(jpg)/2], "image/jpeg", "decode jpeg"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "image/svg+xml", "not a JPEG"},
		{"html as image", []byte("<!DOCTYPE html><p>hi"), "text/html", "not a JPEG"},
		{"image type, other bytes", []byte("GIF8"), "image/gif", "not a JPEG"},
		{"empty", nil, "image/png", "not a JPEG"},
		{"20 MB", make([]byte, 20<<20), "image/jpeg", "too large"},
		{"16-bit png of 6000 × 6600", png16Header(6000, 6600), "image/png", "MB to decode"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stop := heappeak.Start().Stop
			_, err := MakePicture(tt.body, tt.ctype, PictureOptions{})
			peak := stop()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("MakePicture = %v, want an error mentioning %q", err, tt.want)
			}
			if peak > 200<<20 {
				t.Errorf("refusing took a %d MiB heap", peak>>20)
			}
		})
	}
}

// TestClientPicture: an image that never finishes, a redirect to file:,
// and a redirect to a private address from a public page are refused.
func TestClientPicture(t *testing.T) {
	jpg := encodeJPEG(t, testImage(100, 50, false))
	var once sync.Once
	stuck := make(chan struct{})
	t.Cleanup(func() { once.Do(func() { close(stuck) }) })
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg)
	})
	mux.HandleFunc("/never.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg[:100])
		w.(http.Flusher).Flush()
		select {
		case <-stuck:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/file.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := NewClient(ClientOptions{})
	p, err := c.Picture(t.Context(), srv.URL+"/ok.jpg", PictureOptions{})
	if err != nil || p.Width != 100 || p.URL != srv.URL+"/ok.jpg" {
		t.Errorf("ok.jpg = %+v, %v", p, err)
	}
	start := time.Now()
	if _, err := c.Picture(t.Context(), srv.URL+"/never.jpg", PictureOptions{Timeout: 300 * time.Millisecond}); err == nil {
		t.Error("an image that never finishes was taken")
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("an image that never finishes held the fetch for %s", time.Since(start))
	}
	if _, err := c.Picture(t.Context(), srv.URL+"/file.jpg", PictureOptions{}); err == nil || !strings.Contains(err.Error(), "unsupported protocol scheme") {
		t.Errorf("redirect to file: = %v", err)
	}
	if _, err := c.Picture(PublicOnly(t.Context()), srv.URL+"/ok.jpg", PictureOptions{}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("a loopback image for a public page = %v, want ErrPrivateAddress", err)
	}
}

func TestPictureURLs(t *testing.T) {
	a := Article{Hero: &Figure{Image: "https://x.example/hero.jpg"}, Figures: []Figure{
		{Image: "https://x.example/1.jpg"}, {Image: "https://x.example/hero.jpg"}, {Image: "data:image/png;base64,xx"},
		{Image: "ftp://x.example/2.jpg"}, {Image: "https://x.example/3.jpg"}, {Image: "https://x.example/4.jpg"},
	}}
	got := PictureURLs(a, 3)
	if strings.Join(got, " ") != "https://x.example/hero.jpg https://x.example/1.jpg https://x.example/3.jpg" {
		t.Errorf("PictureURLs = %v", got)
	}
}

// BenchmarkMakePicture is one 1600 × 900 JPEG photo checked, decoded,
// scaled to 1200 px and re-encoded.
func BenchmarkMakePicture(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 1600, 900))
	seed := uint32(1)
	for i := range m.Pix {
		seed = seed*1664525 + 1013904223
		m.Pix[i] = uint8(seed >> 24)
	}
	body := encodeJPEG(b, m)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := MakePicture(body, "image/jpeg", PictureOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
