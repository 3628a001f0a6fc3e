package ui

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const (
	bodyMargin  = 2  // columns kept free beside the body
	cachedPages = 32 // renders and articles kept for showing them again at once
)

// page is one article or referenced page on the reader's stack.
type page struct {
	item      cache.Item // the list item, for articles opened from the list
	id        string     // render identity: the article ID, else the URL
	article   fetch.Article
	loaded    bool
	version   string // of the content, so that a render of a teaser is never shown for the full text
	yOffset   int    // scroll position to come back to
	reloading bool   // a teaser being read again because a sync fetched the full text
	restore   bool   // apply yOffset once the page is shown again
}

// match is one find hit: a line and a cell range.
type match struct{ line, start, end int }

// readerModel shows articles. Opening a reference pushes a page; going back
// pops it and restores the scroll position.
type readerModel struct {
	out      tea.Msg // a navigation request for the root
	be       backend
	keys     *keyMap // for the key names the footer mentions
	renderer *Renderer
	width    int
	height   int // the whole reader area: header, body, footer
	style    Style
	loc      *time.Location // for dates in the header

	stack    []page
	vp       viewport.Model
	shown    renderID // what the viewport holds
	padFor   int      // the terminal width the shown lines are centred for
	lines    []string // rendered lines of the shown page, without find highlights
	inflight renderID // the render being made, to not ask twice

	renders  *lru[renderID, string]
	articles *lru[string, fetch.Article]

	pendingRef string // URL of the reference being opened

	hl       *styles // for find highlights, which are made in update
	finding  bool    // the find input is active
	input    field
	find     string
	matches  []match
	matchIdx int

	refEntry  bool // "#" was pressed; digits follow
	refDigits string

	piping bool  // the pipe prompt is active
	pipeIn field // the command to pipe the page to; keeps the last one

	findOnShow []string // search terms to find once the article is shown
	searchFind bool     // the find shows a search's hits: esc goes back, not only clears it
	place      place    // the place kept on top through resizes

	pics pictureState // the pictures of the shown page (picture_reader.go)
}

func newReaderModel(be backend, r *Renderer, style Style, loc *time.Location) readerModel {
	in := textinput.New()
	in.Prompt = "find: "
	in.CharLimit = 100
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	pipe := textinput.New()
	pipe.Prompt = "pipe to: "
	pipe.CharLimit = 500
	return readerModel{
		be: be, renderer: r, style: style, loc: loc, vp: vp, input: newField(in), pipeIn: newField(pipe),
		renders:  newLRU[renderID, string](cachedPages),
		articles: newLRU[string, fetch.Article](cachedPages),
	}
}

// typing reports whether keys go to an input of the reader.
func (r readerModel) typing() bool { return r.finding || r.refEntry || r.piping }

// bodyWidth is the width the article is wrapped for.
func (r readerModel) bodyWidth() int { return max(20, min(r.width-bodyMargin, MaxWidth)) }

// leftPad centres the body on terminals wider than the body needs.
func (r readerModel) leftPad() string {
	if r.width <= MaxWidth+bodyMargin {
		return ""
	}
	return strings.Repeat(" ", (r.width-MaxWidth)/2-bodyMargin/2)
}

// top returns the shown page.
func (r readerModel) top() (page, bool) {
	if len(r.stack) == 0 {
		return page{}, false
	}
	return r.stack[len(r.stack)-1], true
}

// url is the address of the shown page, canonical when known (for heise
// the short https://www.heise.de/-N form).
func (r readerModel) url() string {
	p, ok := r.top()
	if !ok {
		return ""
	}
	switch {
	case p.article.CanonicalURL != "":
		return p.article.CanonicalURL
	case p.article.URL != "":
		return p.article.URL
	}
	return p.item.URL
}

// setSize resizes the reader; a new width means a new render.
func (r readerModel) setSize(w, h int) (readerModel, tea.Cmd) {
	r.width, r.height = w, h
	r.vp.SetWidth(w)
	r.vp.SetHeight(max(1, h-2))
	r.input = r.input.with(func(in *textinput.Model) { in.SetWidth(max(10, w-10)) })
	r.pipeIn = r.pipeIn.with(func(in *textinput.Model) { in.SetWidth(max(10, w-12)) })
	return r.requestRender()
}

// setStyles switches to new styles and their glamour style; a new glamour
// style means a new render.
func (r readerModel) setStyles(st *styles, s Style) (readerModel, tea.Cmd) {
	r.hl = st
	r.input = r.input.with(func(in *textinput.Model) { in.SetStyles(st.Input) })
	r.pipeIn = r.pipeIn.with(func(in *textinput.Model) { in.SetStyles(st.Input) })
	if s == r.style {
		return r, nil
	}
	r.style = s
	return r.requestRender()
}

// open starts reading a list item: from the article cache at once, else
// through a command.
func (r readerModel) open(it cache.Item) (readerModel, tea.Cmd) {
	r = r.clearFind()
	r.refEntry, r.pendingRef = false, ""
	p := page{item: it, id: it.ID}
	if a, ok := r.articles.get(it.ID); ok && it.Offline {
		p.article, p.loaded, p.version = a, true, contentVersion(a)
	}
	r.stack = []page{p}
	r.findOnShow = nil
	r.shown = renderID{}
	r.lines = nil
	r.vp.SetContentLines(nil)
	r.vp.GotoTop()
	if p.loaded {
		return r.requestRender()
	}
	return r, loadArticleCmd(r.be, it.ID)
}

// fullTextFetched reloads the article on the bottom of the stack when it is
// shown as a teaser and a sync has just fetched its full text (articleURL
// is the URL the sync fetched; "" means the sync has ended, so try anyway).
func (r readerModel) fullTextFetched(articleURL string) (readerModel, tea.Cmd) {
	if len(r.stack) == 0 || r.stack[0].item.Offline || r.stack[0].reloading || !r.stack[0].loaded {
		return r, nil
	}
	it := r.stack[0].item
	if articleURL != "" && fetch.StripTracking(articleURL) != fetch.StripTracking(it.URL) &&
		(fetch.HeiseContentID(articleURL) == "" || fetch.HeiseContentID(articleURL) != fetch.HeiseContentID(it.URL)) {
		return r, nil
	}
	r.stack[0].reloading = true
	return r, loadArticleCmd(r.be, it.ID)
}

// push shows a referenced page on top of the current one.
func (r readerModel) push(a fetch.Article, rawURL string) (readerModel, tea.Cmd) {
	if len(r.stack) == 0 {
		return r, nil
	}
	r.stack[len(r.stack)-1].yOffset = r.vp.YOffset()
	r.stack[len(r.stack)-1].restore = true
	id := a.ID
	if id == "" {
		id = rawURL
	}
	if a.URL == "" {
		a.URL = rawURL
	}
	r.stack = append(slices.Clip(r.stack), page{id: "ref:" + id, article: a, loaded: true, version: contentVersion(a)})
	r = r.clearFind()
	r.pendingRef = ""
	r.shown = renderID{}
	r.vp.SetContentLines(nil)
	r.vp.GotoTop()
	return r.requestRender()
}

// pop leaves the shown page; it reports false when the article itself was shown.
func (r readerModel) pop() (readerModel, tea.Cmd, bool) {
	if len(r.stack) <= 1 {
		return r, nil, false
	}
	r.stack = r.stack[:len(r.stack)-1]
	r = r.clearFind()
	r.shown = renderID{}
	r, cmd := r.requestRender()
	return r, cmd, true
}

// keyFor is the render identity of a page at the current width and style.
func (r readerModel) keyFor(p page) renderID {
	return renderID{id: p.id + "@" + p.version, width: r.bodyWidth(), style: r.style}
}

// contentVersion fingerprints what a rendering shows of an article.
func contentVersion(a fetch.Article) string {
	h := fnv.New64a()
	for _, s := range []string{a.Title, a.Lead, a.Body, a.Notice, a.URL} {
		h.Write([]byte(s)) // a hash.Hash never returns an error
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// requestText shows the top page from the render cache, or asks for a
// render; requestRender also asks for its pictures.
func (r readerModel) requestText() (readerModel, tea.Cmd) {
	p, ok := r.top()
	if !ok || !p.loaded || r.width == 0 {
		return r, nil
	}
	k := r.keyFor(p)
	if k == r.shown && r.padFor == r.width {
		return r, nil
	}
	if text, ok := r.renders.get(k); ok {
		return r.show(k, text), nil
	}
	if k == r.inflight {
		return r, nil
	}
	r.inflight = k
	return r, renderCmd(r.renderer, k, p.article)
}

// show puts a rendering into the viewport.
func (r readerModel) show(k renderID, text string) readerModel {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	r, lines = r.withPagePictures(lines)
	if pad := r.leftPad(); pad != "" {
		for i, l := range lines {
			lines[i] = pad + l
		}
	}
	resized := r.shown.id == k.id && r.shown.width != k.width && len(r.lines) > 0
	oldLines, oldY := r.lines, r.vp.YOffset()
	r.shown, r.padFor = k, r.width
	r.lines = lines
	r.vp.SetContentLines(slices.Clone(lines))
	if resized { // the same page at a new width: keep the same place on top
		// Through several resizes without scrolling, the first place is
		// kept, so that rounding at a narrow width does not creep.
		if !r.place.valid || r.place.y != oldY {
			r.place = placeOf(oldLines, oldY)
			r.place.valid = true
		}
		r.place.y = r.place.line(lines)
		r.vp.SetYOffset(r.place.y)
	}
	if n := len(r.stack) - 1; n >= 0 && r.stack[n].restore {
		r.vp.SetYOffset(r.stack[n].yOffset)
		r.stack[n].restore = false
	}
	if r.find != "" {
		r = r.applyFind(false)
	}
	if len(r.findOnShow) > 0 && len(r.stack) == 1 {
		r = r.findTerms(r.findOnShow)
	}
	return r
}

// teaser builds the article shown when the full text cannot be loaded.
func teaser(it cache.Item, err error) fetch.Article {
	a := fetch.Article{
		ID: it.ID, URL: it.URL, Title: it.Title, Lead: it.Summary,
		Published: it.Published, Paywalled: it.Paywalled,
	}
	if len(it.FeedTitles) > 0 {
		a.Site = it.FeedTitles[0]
	}
	if it.Author != "" {
		a.Authors = []string{it.Author}
	}
	a.Lang = fetch.TeaserLang(it.ID, it.Title, it.Summary)
	reason, prefix := "it is not in the cache", "Only the teaser is available: "
	if a.Lang == "de" {
		reason, prefix = "der Artikel ist nicht im Cache", "Nur der Anreißer ist verfügbar: "
	}
	switch {
	case err != nil:
		reason = err.Error()
	case it.ArticleErr != "":
		reason = it.ArticleErr
	}
	a.Notice = prefix + reason
	return a
}

// updateText handles messages for the reader; update handles pictures first.
func (r readerModel) updateText(msg tea.Msg, k *keyMap) (readerModel, tea.Cmd) {
	switch msg := msg.(type) {
	case articleLoadedMsg:
		for i := range r.stack {
			p := &r.stack[i]
			if p.item.ID != msg.id || p.id != msg.id || (p.loaded && !p.reloading) {
				continue
			}
			if p.reloading && msg.err != nil {
				p.reloading = false // keep the teaser already shown
				continue
			}
			if msg.err != nil {
				p.article = teaser(p.item, msg.err)
			} else {
				p.article = msg.article
				// Only what the list calls cached is kept for showing again: a
				// teaser may become a full article at the next sync, and a
				// reload may bring the teaser again (the source answers a
				// missing article with its teaser, not an error).
				if p.item.Offline {
					r.articles.put(msg.id, msg.article)
				}
			}
			p.loaded, p.reloading = true, false
			p.version = contentVersion(p.article)
		}
		return r.requestRender()
	case articleRenderedMsg:
		if msg.key == r.inflight {
			r.inflight = renderID{}
		}
		if msg.key.width != r.bodyWidth() || msg.key.style != r.style {
			return r, nil // made for another size or theme: stale
		}
		if msg.err != nil {
			return r, errCmd(msg.err)
		}
		r.renders.put(msg.key, msg.text)
		if p, ok := r.top(); ok && msg.key == r.keyFor(p) && r.shown != msg.key {
			r = r.show(msg.key, msg.text)
		}
		return r, nil
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		r.vp, cmd = r.vp.Update(msg)
		return r, cmd
	case tea.PasteMsg:
		var cmd tea.Cmd
		switch {
		case r.finding:
			r.input, cmd = r.input.update(msg)
		case r.piping:
			r.pipeIn, cmd = r.pipeIn.update(msg)
		}
		return r, cmd
	case tea.KeyPressMsg:
		switch {
		case r.finding:
			return r.updateFindInput(msg, k)
		case r.refEntry:
			return r.updateRefEntry(msg, k)
		case r.piping:
			return r.updatePipeInput(msg, k)
		}
		return r.updateKey(msg, k)
	}
	return r, nil
}

// updateKey handles a key when no input is active.
func (r readerModel) updateKey(msg tea.KeyPressMsg, k *keyMap) (readerModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Down):
		r.vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		r.vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		r.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		r.vp.PageUp()
	case key.Matches(msg, k.Top):
		r.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		r.vp.GotoBottom()
	case r.find != "" && key.Matches(msg, k.FindNext):
		return r.stepMatch(1), nil
	case r.find != "" && key.Matches(msg, k.FindPrev, k.PrevUnread): // p as in DESIGN's table, N as in less
		return r.stepMatch(-1), nil
	case r.find != "" && !r.searchFind && key.Matches(msg, k.Cancel):
		return r.clearFind(), nil
	case key.Matches(msg, k.Next):
		r.out = stepArticleMsg{delta: 1}
	case key.Matches(msg, k.Prev):
		r.out = stepArticleMsg{delta: -1}
	case key.Matches(msg, k.NextUnread):
		r.out = stepUnreadMsg{}
	case key.Matches(msg, k.PrevUnread):
		r.out = stepUnreadMsg{backward: true}
	case key.Matches(msg, k.Back):
		if nr, cmd, ok := r.pop(); ok {
			return nr, cmd
		}
		r.out = backMsg{}
	case key.Matches(msg, k.Filter):
		r.finding, r.searchFind = true, false
		r.input = r.input.with(func(in *textinput.Model) {
			in.SetValue(r.find)
			in.CursorEnd()
		})
		var cmd tea.Cmd
		r.input, cmd = r.input.focus()
		return r, cmd
	case key.Matches(msg, k.Ref):
		n, err := strconv.Atoi(msg.String())
		if err != nil {
			return r, nil
		}
		return r.openRef(n)
	case key.Matches(msg, k.RefNumber):
		r.refEntry, r.refDigits = true, ""
	case key.Matches(msg, k.Pipe):
		if p, ok := r.top(); !ok || !p.loaded {
			return r, statusCmd("nothing to pipe yet")
		}
		r.piping = true
		r.pipeIn = r.pipeIn.with(func(in *textinput.Model) { in.CursorEnd() })
		var cmd tea.Cmd
		r.pipeIn, cmd = r.pipeIn.focus()
		return r, cmd
	case key.Matches(msg, k.Links):
		if len(r.references()) == 0 {
			return r, statusCmd("this page has no references")
		}
		r.out = showLinksMsg{}
	}
	return r, nil
}

// references lists the references of the shown page.
func (r readerModel) references() []fetch.Reference {
	p, ok := r.top()
	if !ok {
		return nil
	}
	return p.article.References
}

// openRef asks the root to open reference n.
func (r readerModel) openRef(n int) (readerModel, tea.Cmd) {
	for _, ref := range r.references() {
		if ref.N == n {
			r.out = openRefMsg{ref: ref}
			return r, nil
		}
	}
	return r, statusCmd(fmt.Sprintf("no reference [%d] on this page", n))
}

// updateRefEntry collects the digits after "#".
func (r readerModel) updateRefEntry(msg tea.KeyPressMsg, k *keyMap) (readerModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Cancel):
		r.refEntry = false
	case key.Matches(msg, k.Confirm):
		r.refEntry = false
		n, err := strconv.Atoi(r.refDigits)
		if err != nil {
			return r, nil
		}
		return r.openRef(n)
	case key.Matches(msg, k.Erase):
		if r.refDigits != "" {
			r.refDigits = r.refDigits[:len(r.refDigits)-1]
		}
	case key.Matches(msg, k.Digit) && len(r.refDigits) < 4:
		r.refDigits += msg.String()
	}
	return r, nil
}

// updatePipeInput handles the pipe prompt: enter asks the root to pipe
// the shown page to the command.
func (r readerModel) updatePipeInput(msg tea.KeyPressMsg, k *keyMap) (readerModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Cancel):
		r.piping = false
		r.pipeIn = r.pipeIn.blur()
		return r, nil
	case key.Matches(msg, k.Confirm):
		r.piping = false
		r.pipeIn = r.pipeIn.blur()
		if command := strings.TrimSpace(r.pipeIn.Value()); command != "" {
			r.out = pipeArticleMsg{command: command}
		}
		return r, nil
	}
	var cmd tea.Cmd
	r.pipeIn, cmd = r.pipeIn.update(msg)
	return r, cmd
}

// updateFindInput handles the find input.
func (r readerModel) updateFindInput(msg tea.KeyPressMsg, k *keyMap) (readerModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Cancel):
		r.finding = false
		r.input = r.input.blur()
		return r, nil
	case key.Matches(msg, k.Confirm):
		r.finding = false
		r.input = r.input.blur()
		r.find = strings.TrimSpace(r.input.Value())
		if r.find == "" {
			return r.clearFind(), nil
		}
		r = r.applyFind(true)
		if len(r.matches) == 0 {
			return r, statusCmd(fmt.Sprintf("%q not found", r.find))
		}
		return r, nil
	}
	var cmd tea.Cmd
	r.input, cmd = r.input.update(msg)
	return r, cmd
}

// applyFind finds r.find in the shown lines, highlights the hits and, with
// jump, moves to the first hit at or below the top of the view.
func (r readerModel) applyFind(jump bool) readerModel {
	needle := strings.ToLower(r.find)
	r.matches = r.matches[:0]
	for i, line := range r.lines {
		plain := strings.ToLower(ansi.Strip(line))
		for off := 0; ; {
			j := strings.Index(plain[off:], needle)
			if j < 0 || needle == "" {
				break
			}
			start := ansi.StringWidth(plain[:off+j])
			end := start + ansi.StringWidth(needle)
			r.matches = append(r.matches, match{line: i, start: start, end: end})
			off += j + len(needle)
		}
	}
	r.matchIdx = 0
	if jump {
		for i, m := range r.matches {
			if m.line >= r.vp.YOffset() {
				r.matchIdx = i
				break
			}
		}
	}
	r = r.highlight()
	if jump {
		r = r.revealMatch()
	}
	return r
}

// stepMatch moves to the next (1) or previous (-1) hit.
func (r readerModel) stepMatch(d int) readerModel {
	if len(r.matches) == 0 {
		return r
	}
	r.matchIdx = (r.matchIdx + d + len(r.matches)) % len(r.matches)
	return r.highlight().revealMatch()
}

// revealMatch scrolls the current hit into view.
func (r readerModel) revealMatch() readerModel {
	if len(r.matches) == 0 {
		return r
	}
	line := r.matches[r.matchIdx].line
	if line < r.vp.YOffset() || line >= r.vp.YOffset()+r.vp.Height() {
		r.vp.SetYOffset(line - r.vp.Height()/3)
	}
	return r
}

// highlight sets the viewport's lines with the hits styled.
func (r readerModel) highlight() readerModel {
	lines := slices.Clone(r.lines)
	byLine := map[int][]lipgloss.Range{}
	for i, m := range r.matches {
		st := r.hl.Match
		if i == r.matchIdx {
			st = r.hl.CurrentMatch
		}
		byLine[m.line] = append(byLine[m.line], lipgloss.NewRange(m.start, m.end, st))
	}
	for i, rs := range byLine {
		lines[i] = lipgloss.StyleRanges(lines[i], rs...)
	}
	y := r.vp.YOffset()
	r.vp.SetContentLines(lines)
	r.vp.SetYOffset(y)
	return r
}

// clearFind removes the find and its highlights.
func (r readerModel) clearFind() readerModel {
	hadMatches := len(r.matches) > 0
	r.find, r.matches, r.matchIdx, r.finding, r.searchFind = "", nil, 0, false, false
	r.input = r.input.blur()
	if hadMatches && r.lines != nil {
		y := r.vp.YOffset()
		r.vp.SetContentLines(slices.Clone(r.lines))
		r.vp.SetYOffset(y)
	}
	return r
}

// view draws the header, the body and the footer.
func (r readerModel) view(st *styles) string {
	if r.pics.full != "" {
		return r.fullPictureView(st)
	}
	p, ok := r.top()
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.headerView(st, p))
	b.WriteByte('\n')
	if r.shown.id == "" {
		body := "  loading…"
		lines := make([]string, r.vp.Height())
		lines[0] = st.Dim.Render(body)
		b.WriteString(strings.Join(lines, "\n"))
	} else {
		b.WriteString(r.vp.View())
	}
	b.WriteByte('\n')
	b.WriteString(r.footerView(st))
	return b.String()
}

// headerView is the bar with site, date, author and reading time.
func (r readerModel) headerView(st *styles, p page) string {
	a := p.article
	site := pageSource(p)
	parts := []string{}
	if len(r.stack) > 1 {
		parts = append(parts, fmt.Sprintf("↳ %d", len(r.stack)-1))
	}
	if site != "" {
		parts = append(parts, site)
	}
	when := a.Published
	if when.IsZero() {
		when = p.item.Published
	}
	if when.IsZero() {
		when = a.Modified
	}
	if !when.IsZero() {
		parts = append(parts, headerDate(when.In(r.loc), a))
	}
	if len(a.Authors) > 0 {
		names := make([]string, len(a.Authors))
		for i, n := range a.Authors {
			names[i] = fetch.CleanLine(n)
		}
		parts = append(parts, strings.Join(names, ", "))
	}
	if a.Paywalled {
		parts = append(parts, "heise+")
	}
	right := readingTime(a)
	if right != "" {
		right += " "
	}
	return barLine(st, " "+strings.Join(parts, " · "), right, r.width)
}

// pageSource names where a page comes from: the feed an article was
// listed in (opened from the list or a search), else the site the page
// names, else its host (a referenced page).
func pageSource(p page) string {
	if len(p.item.FeedTitles) > 0 {
		if s := fetch.CleanLine(p.item.FeedTitles[0]); s != "" {
			return s
		}
	}
	if s := fetch.CleanLine(p.article.Site); s != "" {
		return s
	}
	for _, raw := range []string{p.article.URL, p.item.URL} {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			return fetch.CleanLine(strings.TrimPrefix(u.Hostname(), "www."))
		}
	}
	return ""
}

// german reports whether an article is shown with German words: its
// language says so, or it is heise's or Telepolis'.
func german(a fetch.Article) bool {
	return a.Lang == "de" || a.Rule == "heise"
}

// headerDate writes the article's date as its readers do: "24.10.2024
// 09:15 Uhr" on German articles, "24 Oct 2024 09:15" on others.
func headerDate(t time.Time, a fetch.Article) string {
	if german(a) {
		return t.Format("02.01.2006 15:04") + " Uhr"
	}
	return t.Format("2 Jan 2006 15:04")
}

// readingTime is the site's reading time, else an estimate at 200 words a
// minute ("3 Min." on German articles).
func readingTime(a fetch.Article) string {
	if rt := fetch.CleanLine(a.ReadingTime); rt != "" {
		return rt
	}
	if !a.Published.IsZero() || a.Body != "" {
		words := len(strings.Fields(a.Body))
		if words == 0 {
			return ""
		}
		if german(a) {
			return fmt.Sprintf("%d Min.", max(1, (words+199)/200))
		}
		return fmt.Sprintf("%d min", max(1, (words+199)/200))
	}
	return ""
}

// footerView shows the scroll position, the find state and the reference count.
func (r readerModel) footerView(st *styles) string {
	parts := []string{}
	total := len(r.lines)
	if total > 0 {
		last := min(total, r.vp.YOffset()+r.vp.Height())
		parts = append(parts, fmt.Sprintf("%3.0f%% · lines %d–%d of %d", r.vp.ScrollPercent()*100, r.vp.YOffset()+1, last, total))
	}
	if r.find != "" {
		if len(r.matches) > 0 {
			parts = append(parts, fmt.Sprintf("find %q %d/%d (%s/%s)", r.find, r.matchIdx+1, len(r.matches), firstKey(r.keys.FindNext), firstKey(r.keys.FindPrev)))
		} else {
			parts = append(parts, fmt.Sprintf("find %q: no match", r.find))
		}
	}
	if n := len(r.references()); n > 0 {
		word := "references"
		if n == 1 {
			word = "reference"
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, word, firstKey(r.keys.Links)))
	}
	if r.pendingRef != "" {
		parts = append(parts, "opening "+fetch.CleanLine(r.pendingRef)+"…")
	}
	return st.Footer.Render(ansi.Truncate(" "+strings.Join(parts, " · "), r.width, "…"))
}

// inputView is the active input of the reader, for the status line.
func (r readerModel) inputView() string {
	if r.refEntry {
		return "open reference #" + r.refDigits
	}
	if r.piping {
		return r.pipeIn.View()
	}
	return r.input.View()
}
