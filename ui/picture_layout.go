package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/fetch"
)

// A picture goes right above its figure's caption block, which the Markdown
// writes as "**Bild** [4]: *Caption* (Bild: Credit)" ("Image" on English
// pages): the caption stays right under its picture, and the picture lines
// join the caption's block, so keeping the reader's place across a resize
// (blockStarts) sees the same blocks with or without pictures.

// captionStart matches the first line of a figure's caption block, ANSI
// stripped: the label, bold (or in ASCII "**" marks), and the reference
// number if the figure has one.
var captionStart = regexp.MustCompile(`^\s*(?:\*\*)?(?:Bild|Image)(?:\*\*)?(?: \[(\d+)\])?(?::|$)`)

// articleFigures lists an article's figures in the order its Markdown shows
// them: the hero, then the inline figures.
func articleFigures(a fetch.Article) []fetch.Figure {
	var figs []fetch.Figure
	if a.Hero != nil && a.Hero.Image != "" {
		figs = append(figs, *a.Hero)
	}
	for _, f := range a.Figures {
		if f.Image != "" {
			figs = append(figs, f)
		}
	}
	return figs
}

// captionLines finds the line where each figure's caption block starts:
// figure index → line. A caption block starts a paragraph (it follows a
// blank line) and carries the figure's reference number; figures without
// one take the unnumbered captions in order.
func captionLines(lines []string, figs []fetch.Figure) map[int]int {
	at := make(map[int]int)
	used := make([]bool, len(figs))
	blank := true
	for i, l := range lines {
		plain := ansi.Strip(l)
		isBlank := strings.TrimSpace(plain) == ""
		if blank && !isBlank {
			if m := captionStart.FindStringSubmatch(plain); m != nil {
				n := 0
				if m[1] != "" {
					v, err := strconv.Atoi(m[1])
					if err != nil {
						continue // too many digits to be a reference
					}
					n = v
				}
				for f := range figs {
					if !used[f] && figs[f].Ref == n {
						used[f] = true
						at[f] = i
						break
					}
				}
			}
		}
		blank = isBlank
	}
	return at
}

// pictureBlock is one picture drawn for a page: cell lines (half-blocks,
// kitty placeholders) or, for iTerm2 and sixel, a sequence drawn at the
// cursor over rows lines.
type pictureBlock struct {
	lines      []string
	seq        string // drawn at the cursor (iTerm2, sixel): lines is empty
	cols, rows int
	kittyID    uint32 // the image the placeholders show; 0 for other protocols
}

// height is the number of lines the block takes.
func (b pictureBlock) height() int {
	if b.seq != "" {
		return b.rows
	}
	return len(b.lines)
}

// pictureSpan is where a picture sits in the lines of a page.
type pictureSpan struct {
	url         string
	start, size int
}

// withPictures inserts each figure's picture above its caption block,
// indented like the caption, and returns the new lines and where each
// picture went. Lines without a caption of a drawn figure stay as they are.
func withPictures(lines []string, figs []fetch.Figure, blocks map[string]pictureBlock) ([]string, []pictureSpan) {
	if len(blocks) == 0 || len(figs) == 0 {
		return lines, nil
	}
	before := make(map[int]pictureBlock) // caption line → its picture
	urls := make(map[int]string)
	for f, line := range captionLines(lines, figs) {
		if b, ok := blocks[figs[f].Image]; ok && b.height() > 0 {
			before[line], urls[line] = b, figs[f].Image
		}
	}
	if len(before) == 0 {
		return lines, nil
	}
	out := make([]string, 0, len(lines)+len(before)*8)
	var spans []pictureSpan
	for i, l := range lines {
		if b, ok := before[i]; ok {
			plain := ansi.Strip(l)
			indent := len(plain) - len(strings.TrimLeft(plain, " "))
			spans = append(spans, pictureSpan{url: urls[i], start: len(out), size: b.height()})
			if b.seq != "" {
				out = append(out, directLines(b.seq, indent, b.rows)...)
			} else {
				pad := strings.Repeat(" ", indent)
				for _, pl := range b.lines {
					out = append(out, pad+pl)
				}
			}
		}
		out = append(out, l)
	}
	return out, spans
}

// pictureJob asks for the pictures of a page, drawn in at most
// maxCols×maxRows cells each.
type pictureJob struct {
	proto            string
	maxCols, maxRows int
	direct           bool // written to the terminal directly: kitty transmits inline, iTerm2 and sixel allowed
	tmux             bool // kitty sequences wrapped for tmux
	cellW, cellH     int  // pixels of a cell, for sixel
}

// buildPictures draws the pictures that belong to figures, in parallel:
// image URL → block. A picture that cannot be drawn is left out, with its
// error in the joined error; the others are drawn all the same.
func buildPictures(pics []fetch.Picture, figs []fetch.Figure, job pictureJob) (map[string]pictureBlock, error) {
	wanted := make(map[string]bool, len(figs))
	for _, f := range figs {
		wanted[f.Image] = true
	}
	var todo []fetch.Picture
	for _, p := range pics {
		if wanted[p.URL] && len(p.Data) > 0 {
			wanted[p.URL] = false // a picture stored twice is drawn once
			todo = append(todo, p)
		}
	}
	blocks := make([]pictureBlock, len(todo))
	errs := make([]error, len(todo))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, p := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			blocks[i], errs[i] = drawPicture(p, job)
		}()
	}
	wg.Wait()
	out := make(map[string]pictureBlock, len(todo))
	for i, p := range todo {
		if errs[i] == nil && blocks[i].height() > 0 {
			out[p.URL] = blocks[i]
		}
	}
	return out, errors.Join(errs...)
}

// drawPicture draws one picture for a job.
func drawPicture(p fetch.Picture, job pictureJob) (pictureBlock, error) {
	w, h := p.Width, p.Height
	if w <= 0 || h <= 0 {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Data))
		if err != nil {
			return pictureBlock{}, fmt.Errorf("decode picture %s: %w", p.URL, err)
		}
		w, h = cfg.Width, cfg.Height
	}
	cols, rows := fitCells(w, h, job.maxCols, job.maxRows)
	if cols == 0 {
		return pictureBlock{}, nil
	}
	b := pictureBlock{cols: cols, rows: rows}
	switch job.proto {
	case ProtocolKitty:
		cols, rows = min(cols, kittyMaxCells), min(rows, kittyMaxCells)
		b.cols, b.rows = cols, rows
		b.kittyID = kittyImageID(p.URL, cols, rows)
		b.lines = kittyPlaceholderLines(b.kittyID, cols, rows)
		if job.direct {
			seq, err := kittyTransmit(p, b.kittyID, cols, rows, job.tmux)
			if err != nil {
				return pictureBlock{}, err
			}
			b.lines[0] = seq + b.lines[0]
		}
		return b, nil
	case ProtocolITerm2:
		if job.direct {
			b.seq = iterm2Sequence(p, cols, rows)
			return b, nil
		}
	case ProtocolSixel:
		if job.direct {
			img, err := decodePicture(p)
			if err != nil {
				return pictureBlock{}, err
			}
			cw, ch := job.cellW, job.cellH
			if cw <= 0 || ch <= 0 {
				cw, ch = cellPixels, cellPixels*cellAspect
			}
			seq, err := sixelSequence(img, cols, rows, cw, ch)
			if err != nil {
				return pictureBlock{}, fmt.Errorf("draw picture %s: %w", p.URL, err)
			}
			b.seq = seq
			return b, nil
		}
	case ProtocolHalfblocks:
	default:
		return pictureBlock{}, nil
	}
	if len(p.Preview) > 0 && cols <= fetch.PreviewWidth {
		// Half-blocks use one pixel a column: the small copy is enough.
		p.Data = p.Preview
	}
	img, err := decodePicture(p)
	if err != nil {
		return pictureBlock{}, err
	}
	b.lines = halfblockLines(img, cols, rows)
	return b, nil
}

// PictureOptions say how kiosk read draws pictures.
type PictureOptions struct {
	// Protocol is one of the Protocol constants (ResolveImageProtocol
	// turns the image_protocol setting into one); none draws nothing.
	Protocol string
	// MaxRows caps a picture's height in lines; 0 means 20.
	MaxRows int
	// CellWidth and CellHeight are the pixels of a terminal cell, for
	// sixel; 0 means 10×20.
	CellWidth, CellHeight int
	// Tmux wraps kitty sequences for tmux's passthrough.
	Tmux bool
	// Skipped, when set, hears of every picture that could not be drawn;
	// its figure is shown with its caption only.
	Skipped func(err error)
}

// RenderWithPictures renders an article's Markdown like Renderer.Render and
// draws the stored pictures above their figures' captions, for writing
// straight to a terminal: kitty (placeholders, transmitted inline), iTerm2,
// sixel or half-blocks. md is the article's Markdown (fetch.Markdown(a)); a
// gives its figures. A picture that cannot be drawn is left out.
func RenderWithPictures(md string, a fetch.Article, pics []fetch.Picture, width int, style Style, o PictureOptions) (string, error) {
	out, err := NewRenderer().Render(md, width, style)
	if err != nil {
		return "", err
	}
	figs := articleFigures(a)
	if o.Protocol == ProtocolNone || o.Protocol == "" || style == StyleASCII || len(pics) == 0 || len(figs) == 0 {
		return out, nil
	}
	maxRows := o.MaxRows
	if maxRows <= 0 {
		maxRows = 20
	}
	job := pictureJob{
		proto: o.Protocol, maxCols: pictureCols(width), maxRows: maxRows,
		direct: true, tmux: o.Tmux, cellW: o.CellWidth, cellH: o.CellHeight,
	}
	blocks, err := buildPictures(pics, figs, job)
	if err != nil && o.Skipped != nil {
		for _, e := range unjoin(err) {
			o.Skipped(e)
		}
	}
	lines, _ := withPictures(strings.Split(strings.TrimSuffix(out, "\n"), "\n"), figs, blocks)
	return strings.Join(lines, "\n") + "\n", nil
}

// pictureCols is the widest a picture is drawn in a body wrapped at width
// columns: the width less glamour's margins.
func pictureCols(width int) int { return max(1, min(max(20, width), 500)-2*glamourMargin) }

// glamourMargin is the document margin of kiosk's glamour styles.
const glamourMargin = 2

// unjoin splits an errors.Join error into its errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
