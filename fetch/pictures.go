package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime"
	"strings"
	"time"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Defaults of PictureOptions' zero fields.
const (
	DefaultPicturesPerArticle = 8
	DefaultPictureBytes       = 2 << 20 // per image as fetched
	// DefaultPicturePixels refuses a picture before decoding it when its
	// header claims more pixels: 40 megapixels is a 7,300 × 5,500 photo,
	// far beyond what a terminal shows, while a "decompression bomb" of
	// 50,000 × 50,000 would need 10 GB.
	DefaultPicturePixels = 40_000_000
	// DefaultPictureWidth is the width pictures are stored at: twice what a
	// 100-column reader shows with half-blocks, enough for kitty on HiDPI.
	DefaultPictureWidth = 1200
	pictureTimeout      = 15 * time.Second
	jpegQuality         = 82
)

// PictureOptions bound what is fetched and stored of an article's images.
type PictureOptions struct {
	PerArticle int   // images per article, the hero first
	MaxBytes   int64 // bytes of one image as fetched
	MaxPixels  int   // width × height from the image's header
	MaxWidth   int   // stored width; wider images are scaled down
	// Timeout bounds fetching one image, so that one that never finishes
	// does not hold the sync; 0 means 15 s.
	Timeout time.Duration
}

func (o PictureOptions) withDefaults() PictureOptions {
	if o.PerArticle <= 0 {
		o.PerArticle = DefaultPicturesPerArticle
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultPictureBytes
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultPicturePixels
	}
	if o.MaxWidth <= 0 {
		o.MaxWidth = DefaultPictureWidth
	}
	if o.Timeout <= 0 {
		o.Timeout = pictureTimeout
	}
	return o
}

// ErrNotPicture is the error for an answer that is no image kiosk stores:
// not image/*, SVG (a document, not a picture), or an unknown format.
var ErrNotPicture = errors.New("not a JPEG, PNG, GIF or WebP image")

// PictureURLs are the image URLs of an article to store, in order (the
// hero first, then the inline figures), each once, http(s) only, at most
// limit.
func PictureURLs(a Article, limit int) []string {
	var urls []string
	add := func(f *Figure) {
		if f == nil || len(urls) >= limit {
			return
		}
		u := strings.TrimSpace(f.Image)
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return
		}
		for _, have := range urls {
			if have == u {
				return
			}
		}
		urls = append(urls, u)
	}
	add(a.Hero)
	for i := range a.Figures {
		add(&a.Figures[i])
	}
	return urls
}

// Picture fetches one image and makes it a Picture: the content type must
// be a raster image, the body at most o.MaxBytes, the dimensions in the
// header at most o.MaxPixels (checked before decoding, so a decompression
// bomb is refused cheaply); it is then decoded (a GIF's first frame),
// scaled down to o.MaxWidth and re-encoded, as JPEG when it is opaque and
// PNG when it is not. Picture.URL is rawURL.
func (c *Client) Picture(ctx context.Context, rawURL string, o PictureOptions) (Picture, error) {
	o = o.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	resp, err := c.Get(ctx, Request{URL: rawURL, Accept: "image/avif;q=0,image/webp,image/png,image/jpeg,image/gif;q=0.8,*/*;q=0.1", MaxBody: o.MaxBytes})
	if err != nil {
		return Picture{}, fmt.Errorf("picture: %w", err)
	}
	p, err := MakePicture(resp.Body, resp.ContentType, o)
	if err != nil {
		return Picture{}, fmt.Errorf("picture %s: %w", rawURL, err)
	}
	p.URL = rawURL
	return p, nil
}

// MakePicture is the pure part of Picture: bytes and their content type
// (empty: sniffed) in, a stored picture out.
func MakePicture(body []byte, contentType string, o PictureOptions) (Picture, error) {
	o = o.withDefaults()
	if int64(len(body)) > o.MaxBytes {
		return Picture{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(body), o.MaxBytes)
	}
	format, err := pictureFormat(body, contentType)
	if err != nil {
		return Picture{}, err
	}
	decodeConfig, decode := codecs(format)
	cfg, err := decodeConfig(bytes.NewReader(body))
	if err != nil {
		return Picture{}, fmt.Errorf("read %s header: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Picture{}, fmt.Errorf("%s of %d × %d pixels", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(o.MaxPixels) {
		return Picture{}, fmt.Errorf("%w: %d × %d pixels, limit %d megapixels", ErrTooLarge, cfg.Width, cfg.Height, o.MaxPixels/1_000_000)
	}
	// Pixels are not bytes: a 16-bit PNG takes 8 bytes a pixel, a
	// progressive JPEG keeps its coefficients besides the image.
	if need := int64(cfg.Width) * int64(cfg.Height) * bytesPerPixel(format, cfg.ColorModel); need > maxDecodeBytes {
		return Picture{}, fmt.Errorf("%w: %d × %d pixels would take %d MB to decode, limit %d MB", ErrTooLarge, cfg.Width, cfg.Height, need>>20, maxDecodeBytes>>20)
	}
	img, err := decode(bytes.NewReader(body))
	if err != nil {
		return Picture{}, fmt.Errorf("decode %s: %w", format, err)
	}
	img = scaleDown(img, o.MaxWidth)
	p := Picture{Width: img.Bounds().Dx(), Height: img.Bounds().Dy(), Type: "image/png"}
	isOpaque := opaque(img)
	if isOpaque {
		p.Type = "image/jpeg"
	}
	if p.Data, err = encodePicture(img, isOpaque); err != nil {
		return Picture{}, fmt.Errorf("encode %s: %w", p.Type, err)
	}
	if p.Width > PreviewWidth {
		if p.Preview, err = encodePicture(scaleDown(img, PreviewWidth), isOpaque); err != nil {
			return Picture{}, fmt.Errorf("encode preview: %w", err)
		}
	}
	return p, nil
}

// encodePicture encodes img as JPEG when it is opaque, else as PNG.
func encodePicture(img image.Image, isOpaque bool) ([]byte, error) {
	var out bytes.Buffer
	var err error
	if isOpaque {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	}
	return out.Bytes(), err
}

// pictureFormat names the format of body: from its first bytes, which
// must agree with a raster image/* content type when one is given.
func pictureFormat(body []byte, contentType string) (string, error) {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || !strings.HasPrefix(mt, "image/") || strings.Contains(mt, "svg") {
			return "", fmt.Errorf("%w (content type %s)", ErrNotPicture, CleanLine(contentType))
		}
	}
	switch {
	case bytes.HasPrefix(body, []byte("\xff\xd8\xff")):
		return "jpeg", nil
	case bytes.HasPrefix(body, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case bytes.HasPrefix(body, []byte("GIF87a")), bytes.HasPrefix(body, []byte("GIF89a")):
		return "gif", nil
	case len(body) >= 12 && string(body[:4]) == "RIFF" && string(body[8:12]) == "WEBP":
		return "webp", nil
	}
	return "", ErrNotPicture
}

// codecs are the header and image decoders of a format.
func codecs(format string) (func(r *bytes.Reader) (image.Config, error), func(r *bytes.Reader) (image.Image, error)) {
	switch format {
	case "jpeg":
		return func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) }
	case "png":
		return func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) }
	case "gif":
		// gif.Decode is the first frame.
		return func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) }
	}
	return func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) },
		func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) }
}

// scaleDown returns img at most width pixels wide and 3 × width high, its
// aspect kept.
func scaleDown(img image.Image, width int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > width {
		w, h = width, max(1, h*width/w)
	}
	if maxH := 3 * width; h > maxH {
		w, h = max(1, w*maxH/h), maxH
	}
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// maxDecodeBytes bounds the memory one picture may take to decode: two
// picture workers then stay far below the 300 MB a sync may use.
const maxDecodeBytes = 96 << 20

// bytesPerPixel estimates what decoding takes a pixel, by format and
// colour model.
func bytesPerPixel(format string, m color.Model) int64 {
	switch {
	case format == "jpeg":
		return 5 // YCbCr or CMYK image and, when progressive, int16 coefficients
	case m == color.RGBA64Model || m == color.NRGBA64Model:
		return 8
	case m == color.Gray16Model:
		return 2
	case m == color.GrayModel || format == "gif":
		return 1
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// opaque reports whether every pixel of img is fully opaque (checked on a
// sample grid for large images; a JPEG cannot be anything else).
func opaque(img image.Image) bool {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray, *image.CMYK:
		return true
	case interface{ Opaque() bool }:
		return m.Opaque()
	}
	b := img.Bounds()
	step := max(1, b.Dx()*b.Dy()/100_000)
	for i := 0; i < b.Dx()*b.Dy(); i += step {
		x, y := b.Min.X+i%b.Dx(), b.Min.Y+i/b.Dx()
		if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
			return false
		}
	}
	return true
}
