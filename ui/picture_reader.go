package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// Pictures in the reader. The stored pictures of the shown page are read
// with a command, drawn for the body's width with another (cached per page,
// width and height), and inserted above their captions when the page is put
// into the viewport; kitty images are transmitted once, with a command whose
// result goes to the terminal as a raw sequence. The text never waits for
// its pictures: they join it when they are drawn, the view staying where it
// was.

const (
	keptPictureSets = 4 // pages whose stored pictures stay in memory
	keptDrawings    = 8 // drawn picture sets (a page at one size)
)

// pictureState is the reader's picture state. Its caches and sets are
// shared by the copies of the model, like the render cache; only Update
// touches them.
type pictureState struct {
	proto  string // readerProtocol; none: the reader is as without pictures
	tmux   bool   // kitty sequences wrapped for tmux's passthrough
	hidden bool   // switched off for the session

	loaded  *lru[string, []fetch.Picture] // by page key (ID@version)
	drawn   *lru[pictureKey, map[string]pictureBlock]
	pending map[string]bool // loads, drawings and transmissions in flight
	sent    map[uint32]bool // kitty images the terminal holds

	spans []pictureSpan // where the shown page's pictures are in its lines
	full  string        // image URL of the picture shown full-screen
}

// pictureKey names one drawing of a page's pictures: the page, the size
// and, for the full-screen view, the one picture.
type pictureKey struct {
	page       string
	url        string
	cols, rows int
}

func (k pictureKey) String() string {
	return fmt.Sprintf("%s|%s|%dx%d", k.page, k.url, k.cols, k.rows)
}

// newPictureState sets up pictures as the options ask; with Images off or
// no protocol for the terminal, pictureState is inert.
func newPictureState(opts Options, getenv func(string) string) pictureState {
	proto := ProtocolNone
	if opts.Images && !opts.NoColor { // without colour neither half-blocks nor placeholders show
		proto = readerProtocol(opts.ImageProtocol, getenv)
	}
	return pictureState{
		proto:   proto,
		tmux:    getenv("TMUX") != "",
		loaded:  newLRU[string, []fetch.Picture](keptPictureSets),
		drawn:   newLRU[pictureKey, map[string]pictureBlock](keptDrawings),
		pending: make(map[string]bool),
		sent:    make(map[uint32]bool),
	}
}

// enabled reports whether the reader draws pictures at all this session.
func (s pictureState) enabled() bool { return s.proto != ProtocolNone && s.loaded != nil }

// on reports whether pictures are shown now.
func (s pictureState) on() bool { return s.enabled() && !s.hidden }

// withPictureKeys enables the picture keys only when there are pictures,
// so that help shows them only then.
func withPictureKeys(k *keyMap, s pictureState) *keyMap {
	nk := *k // a new map: the old one may be in use
	nk.Images.SetEnabled(s.enabled())
	nk.ViewImage.SetEnabled(s.enabled())
	return &nk
}

// picturePage is the key of a page's stored pictures and the ID the source
// knows them by: the entry of an article from the list, the article ID of
// a referenced page kiosk has cached.
func picturePage(p page) (key, id string) {
	id = p.item.ID
	if id == "" || p.id != id {
		id = p.article.ID
	}
	if id == "" || !p.loaded {
		return "", ""
	}
	return id + "@" + p.version, id
}

// pictureSize is the most a picture of the page takes: the body's width
// less glamour's margins, and 40 % of the screen's height.
func (r readerModel) pictureSize() (cols, rows int) {
	return pictureCols(r.bodyWidth()), max(1, (r.height+2)*2/5)
}

// update handles the picture messages and keys, then the rest of the
// reader's messages (updateText), then asks for what the shown page's
// pictures still need.
func (r readerModel) update(msg tea.Msg, k *keyMap) (readerModel, tea.Cmd) {
	if !r.pics.enabled() {
		return r.updateText(msg, k)
	}
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case picturesLoadedMsg:
		delete(r.pics.pending, "load:"+msg.page)
		if errors.Is(msg.err, cache.ErrNotFound) {
			msg.err = nil // a page the cache does not hold has no pictures
		}
		if msg.err != nil {
			cmd = errCmd(msg.err)
			msg.pics = nil // shown without pictures; not asked again for this version
		}
		r.pics.loaded.put(msg.page, msg.pics)
	case picturesDrawnMsg:
		delete(r.pics.pending, "draw:"+msg.key.String())
		if msg.err != nil {
			cmd = errCmd(msg.err) // the pictures that could be drawn still show
		}
		r.pics.drawn.put(msg.key, msg.blocks)
		if msg.key.url == "" && msg.key == r.pageKey() {
			r = r.reshow()
		}
	case picturesSentMsg:
		for _, id := range msg.ids {
			delete(r.pics.pending, fmt.Sprint("send:", id))
		}
		if msg.err != nil {
			cmd = errCmd(msg.err)
			break
		}
		for _, id := range msg.ids {
			r.pics.sent[id] = true
		}
		cmd = tea.Raw(msg.seq)
	case tea.KeyPressMsg:
		switch {
		case r.pics.full != "":
			if key.Matches(msg, k.Back, k.ViewImage, k.Cancel) {
				r.pics.full = ""
			}
			return r, nil
		case r.typing():
			r, cmd = r.updateText(msg, k)
		case key.Matches(msg, k.Images):
			r.pics.hidden = !r.pics.hidden
			r = r.reshow()
			note := "pictures on"
			if r.pics.hidden {
				note = "pictures off"
			}
			cmd = statusCmd(note)
		case key.Matches(msg, k.ViewImage):
			return r.openFullPicture()
		default:
			r, cmd = r.updateText(msg, k)
		}
	default:
		r, cmd = r.updateText(msg, k)
	}
	r, more := r.pictureCmd()
	return r, tea.Batch(cmd, more)
}

// requestRender shows the top page from the render cache, or asks for a
// render (requestText), and asks for its pictures.
func (r readerModel) requestRender() (readerModel, tea.Cmd) {
	r, cmd := r.requestText()
	if !r.pics.enabled() {
		return r, cmd
	}
	r, more := r.pictureCmd()
	return r, tea.Batch(cmd, more)
}

// pageKey is the drawing the shown page needs at the current size.
func (r readerModel) pageKey() pictureKey {
	p, ok := r.top()
	if !ok {
		return pictureKey{}
	}
	page, _ := picturePage(p)
	cols, rows := r.pictureSize()
	return pictureKey{page: page, cols: cols, rows: rows}
}

// fullKey is the drawing of the picture shown full-screen.
func (r readerModel) fullKey() pictureKey {
	k := r.pageKey()
	k.url, k.cols, k.rows = r.pics.full, r.width, max(1, r.height-2)
	return k
}

// pictureCmd asks for what the shown page's pictures still need: the
// stored pictures, their drawing, the transmission of kitty images.
func (r readerModel) pictureCmd() (readerModel, tea.Cmd) {
	if !r.pics.on() || r.width == 0 {
		return r, nil
	}
	p, ok := r.top()
	if !ok {
		return r, nil
	}
	page, id := picturePage(p)
	if page == "" {
		return r, nil
	}
	pics, ok := r.pics.loaded.get(page)
	if !ok {
		if r.pics.pending["load:"+page] {
			return r, nil
		}
		r.pics.pending["load:"+page] = true
		return r, loadPicturesCmd(r.be, page, id)
	}
	figs := articleFigures(p.article)
	if len(pics) == 0 || len(figs) == 0 {
		return r, nil
	}
	k := r.pageKey()
	if r.pics.full != "" {
		k = r.fullKey()
	}
	blocks, ok := r.pics.drawn.get(k)
	if !ok {
		if r.pics.pending["draw:"+k.String()] {
			return r, nil
		}
		r.pics.pending["draw:"+k.String()] = true
		job := pictureJob{proto: r.pics.proto, maxCols: k.cols, maxRows: k.rows}
		if k.url != "" {
			figs = []fetch.Figure{{Image: k.url}}
		}
		return r, drawPicturesCmd(k, pics, figs, job)
	}
	if r.pics.proto != ProtocolKitty {
		return r, nil
	}
	var send []fetch.Picture
	var ids []uint32
	var sizes [][2]int
	for _, pic := range pics {
		b, ok := blocks[pic.URL]
		key := fmt.Sprint("send:", b.kittyID)
		if !ok || b.kittyID == 0 || r.pics.sent[b.kittyID] || r.pics.pending[key] {
			continue
		}
		r.pics.pending[key] = true
		send = append(send, pic)
		ids = append(ids, b.kittyID)
		sizes = append(sizes, [2]int{b.cols, b.rows})
	}
	if len(send) == 0 {
		return r, nil
	}
	return r, sendPicturesCmd(send, ids, sizes, r.pics.tmux)
}

// withPagePictures inserts the shown page's drawn pictures into its
// rendered lines (before the reader pads them) and notes where they went.
func (r readerModel) withPagePictures(lines []string) (readerModel, []string) {
	r.pics.spans = nil
	if !r.pics.on() {
		return r, lines
	}
	p, ok := r.top()
	if !ok {
		return r, lines
	}
	blocks, ok := r.pics.drawn.get(r.pageKey())
	if !ok {
		return r, lines
	}
	lines, r.pics.spans = withPictures(lines, articleFigures(p.article), blocks)
	return r, lines
}

// reshow puts the shown rendering into the viewport again, with or without
// pictures, keeping the same text on top.
func (r readerModel) reshow() readerModel {
	text, ok := r.renders.get(r.shown)
	if r.shown.id == "" || !ok {
		return r
	}
	top := textLine(r.pics.spans, r.vp.YOffset())
	r = r.show(r.shown, text)
	r.vp.SetYOffset(composedLine(r.pics.spans, top))
	return r
}

// textLine is the line of the text alone that line y of a page with
// pictures at spans shows; a picture line maps to its caption.
func textLine(spans []pictureSpan, y int) int {
	t := y
	for _, s := range spans {
		switch {
		case s.start+s.size <= y:
			t -= s.size
		case s.start <= y:
			t -= y - s.start
		}
	}
	return t
}

// composedLine is the line of a page with pictures at spans that shows
// line t of the text alone; a caption on top keeps its picture above it out
// of view.
func composedLine(spans []pictureSpan, t int) int {
	y, before := t, 0
	for _, s := range spans {
		if s.start-before <= t { // the caption's line in the text alone
			y += s.size
		}
		before += s.size
	}
	return y
}

// openFullPicture shows the first picture on screen full-screen.
func (r readerModel) openFullPicture() (readerModel, tea.Cmd) {
	if !r.pics.on() {
		return r, statusCmd("pictures are off (" + firstKey(r.keys.Images) + ")")
	}
	top, bottom := r.vp.YOffset(), r.vp.YOffset()+r.vp.Height()
	for _, s := range r.pics.spans {
		if s.start < bottom && s.start+s.size > top {
			r.pics.full = s.url
			return r.pictureCmd()
		}
	}
	return r, statusCmd("no picture on screen")
}

// fullPictureView is the picture shown full-screen, centred, with its
// caption on top.
func (r readerModel) fullPictureView(st *styles) string {
	caption := ""
	if p, ok := r.top(); ok {
		for _, f := range articleFigures(p.article) {
			if f.Image == r.pics.full {
				caption = fetch.CleanLine(f.Caption)
				if caption == "" {
					caption = fetch.CleanLine(f.Alt)
				}
				break
			}
		}
	}
	lines := make([]string, 0, r.height)
	lines = append(lines, barLine(st, " "+caption, "", r.width))
	blocks, ok := r.pics.drawn.get(r.fullKey())
	b, drawn := blocks[r.pics.full]
	switch {
	case !ok:
		lines = append(lines, st.Dim.Render("  drawing…"))
	case !drawn:
		lines = append(lines, st.Dim.Render("  this picture cannot be shown"))
	default:
		pad := strings.Repeat(" ", max(0, (r.width-b.cols)/2))
		for _, l := range b.lines {
			lines = append(lines, pad+l)
		}
	}
	for len(lines) < r.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:r.height-1], st.Footer.Render(ansi.Truncate(" "+firstKey(r.keys.Back)+" back to the text", r.width, "…")))
	return strings.Join(lines, "\n")
}

// loadPicturesCmd reads a page's stored pictures.
func loadPicturesCmd(be backend, page, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		pics, err := be.src.Pictures(ctx, id)
		if err != nil {
			err = fmt.Errorf("load pictures of %s: %w", id, err)
		}
		return picturesLoadedMsg{page: page, pics: pics, err: err}
	}
}

// drawPicturesCmd draws a page's pictures for one size.
func drawPicturesCmd(k pictureKey, pics []fetch.Picture, figs []fetch.Figure, job pictureJob) tea.Cmd {
	return func() tea.Msg {
		blocks, err := buildPictures(pics, figs, job)
		if err != nil {
			err = fmt.Errorf("draw pictures: %w", err)
		}
		return picturesDrawnMsg{key: k, blocks: blocks, err: err}
	}
}

// sendPicturesCmd makes the sequences that transmit kitty images.
func sendPicturesCmd(pics []fetch.Picture, ids []uint32, sizes [][2]int, tmux bool) tea.Cmd {
	return func() tea.Msg {
		var b strings.Builder
		for i, p := range pics {
			seq, err := kittyTransmit(p, ids[i], sizes[i][0], sizes[i][1], tmux)
			if err != nil {
				return picturesSentMsg{ids: ids, err: fmt.Errorf("send picture %s: %w", p.URL, err)}
			}
			b.WriteString(seq)
		}
		return picturesSentMsg{ids: ids, seq: b.String()}
	}
}

// Picture messages.
type (
	// picturesLoadedMsg holds the stored pictures of a page.
	picturesLoadedMsg struct {
		page string
		pics []fetch.Picture
		err  error
	}
	// picturesDrawnMsg holds a page's pictures drawn for one size: image
	// URL → lines.
	picturesDrawnMsg struct {
		key    pictureKey
		blocks map[string]pictureBlock
		err    error
	}
	// picturesSentMsg holds the sequences that transmit kitty images.
	picturesSentMsg struct {
		ids []uint32
		seq string
		err error
	}
)
