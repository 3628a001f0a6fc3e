package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const (
	pageSize    = 240 // rows per cache read; the list never holds more than one page
	pageMargin  = 60  // read the next page when the cursor gets this close to the window's edge
	searchLimit = 200 // full-text search results shown
)

// inputMode says what the list's text input is for.
type inputMode int

const (
	inputNone inputMode = iota
	inputFilter
	inputSearch
)

// listModel is the article list. It holds one window of rows read from the
// source around the cursor, never the whole cache, and the total from Count.
type listModel struct {
	out    tea.Msg // a navigation request for the root
	be     backend
	keys   *keyMap // for the key names the view mentions
	now    func() time.Time
	width  int
	height int // lines of the whole screen area, bar included

	q       cache.Query // Feed, Unread, Starred, Match; Offset and Limit are per read
	gen     int         // generation of q; results of older ones are dropped
	total   int
	counted bool
	win     []cache.Item // rows winOff … winOff+len(win)-1
	winOff  int
	pending int // offset of the page being read, -1 when none
	// openOnLoad opens the selected row once the pending page arrives:
	// "/word enter" typed faster than the filter query answers.
	openOnLoad bool
	loaded     bool // the window holds what the source has at winOff (maybe nothing)
	// short: the window holds only the first screenful that the start
	// read (Prefetch), and more rows follow; the whole page is read once
	// the first frame is drawn, or when the cursor needs it.
	short bool
	// first is the prefetched first page, which init waits for instead
	// of reading its own; nil when there is none.
	first  *FirstPage
	cursor int
	top    int // first visible row

	feeds      []cache.FeedInfo
	feedsAsked bool
	feedIdx    int // index into feeds of the shown feed, -1 for all

	mode  inputMode
	input field

	searching   bool // showing full-text search results instead of the query
	searchQuery string
	searchGen   int
	hits        []cache.Hit
}

func newListModel(be backend, now func() time.Time, first *FirstPage) listModel {
	in := textinput.New()
	in.CharLimit = 200
	return listModel{be: be, now: now, pending: -1, feedIdx: -1, input: newField(in), first: first}
}

// typing reports whether keys go to the text input.
func (l listModel) typing() bool { return l.mode != inputNone }

// rows is the number of article rows that fit.
func (l listModel) rows() int { return max(1, l.height-1) }

// length is the number of rows of the current view.
func (l listModel) length() int {
	if l.searching {
		return len(l.hits)
	}
	return max(l.total, l.winOff+len(l.win))
}

// item returns row i when it is loaded.
func (l listModel) item(i int) (cache.Item, bool) {
	if l.searching {
		if i >= 0 && i < len(l.hits) {
			return l.hits[i].Item, true
		}
		return cache.Item{}, false
	}
	if i >= l.winOff && i < l.winOff+len(l.win) {
		return l.win[i-l.winOff], true
	}
	return cache.Item{}, false
}

// selected returns the item under the cursor when it is loaded.
func (l listModel) selected() (cache.Item, bool) { return l.item(l.cursor) }

// setStyles applies new styles to the text input.
func (l listModel) setStyles(st *styles) listModel {
	l.input = l.input.with(func(in *textinput.Model) { in.SetStyles(st.Input) })
	return l
}

// setSize resizes the list.
func (l listModel) setSize(w, h int) listModel {
	l.width, l.height = w, h
	l.input = l.input.with(func(in *textinput.Model) { in.SetWidth(max(10, w-12)) })
	return l.scrollToCursor()
}

// init returns the commands of the first read: the prefetched first
// screenful when there is one, else a page and the count. The feeds (a
// slower query on big caches) are read once the first frame is drawn
// (started).
func (l listModel) init() tea.Cmd {
	if l.first != nil {
		return l.first.waitCmd(l.be.ctx)
	}
	return tea.Batch(l.readPage(0, ""), countCmd(l.be, l.gen, l.q))
}

// started reads what the first frame did not need: the feeds, and the rest
// of the first page when only a screenful was read.
func (l listModel) started() (listModel, tea.Cmd) {
	var feeds, page tea.Cmd
	if !l.feedsAsked {
		l.feedsAsked = true
		feeds = loadFeedsCmd(l.be)
	}
	if l.short && l.pending == -1 && !l.searching {
		page = l.readPage(l.winOff, "")
	}
	return l, tea.Batch(page, feeds)
}

// readPage asks for the page starting at offset.
func (l *listModel) readPage(offset int, anchor string) tea.Cmd {
	l.pending = offset
	q := l.q
	q.Offset, q.Limit = offset, pageSize
	return loadPageCmd(l.be, l.gen, q, anchor)
}

// requery starts over after the query changed: cursor at the top.
func (l listModel) requery() (listModel, tea.Cmd) {
	l.gen++
	l.cursor, l.top = 0, 0
	l.win, l.winOff, l.total, l.counted, l.loaded = nil, 0, 0, false, false
	cmd := l.readPage(0, "")
	return l, tea.Batch(cmd, countCmd(l.be, l.gen, l.q))
}

// refresh rereads the window and the count after a sync stored new items.
// A cursor below the top stays on the same item when it is still in the
// window; a cursor at the top stays there, on the newest item.
func (l listModel) refresh(withFeeds bool) (listModel, tea.Cmd) {
	l.gen++
	anchor := ""
	if it, ok := l.selected(); ok && l.cursor > 0 {
		anchor = it.ID // at the top, the cursor stays at the top: on the newest
	}
	cmds := []tea.Cmd{l.readPage(max(0, l.cursor-pageSize/2), anchor), countCmd(l.be, l.gen, l.q)}
	if withFeeds {
		cmds = append(cmds, loadFeedsCmd(l.be))
	}
	return l, tea.Batch(cmds...)
}

// ensureWindow reads the page around the cursor when the cursor has come
// close to the edge of the window.
func (l listModel) ensureWindow() (listModel, tea.Cmd) {
	if l.searching {
		return l, nil
	}
	lo, hi := l.winOff, l.winOff+len(l.win)
	n := l.length()
	nearTop := l.winOff > 0 && l.cursor < lo+pageMargin
	nearEnd := hi < n && l.cursor >= hi-pageMargin
	inside := l.cursor >= lo && l.cursor < hi || n == 0
	if l.loaded && inside && !nearTop && !nearEnd {
		return l, nil
	}
	want := max(0, l.cursor-pageSize/2)
	if want == l.winOff && l.loaded && !l.short || want == l.pending {
		return l, nil
	}
	cmd := l.readPage(want, "")
	return l, cmd
}

// move moves the cursor by delta rows.
func (l listModel) move(delta int) (listModel, tea.Cmd) {
	return l.moveTo(l.cursor + delta)
}

// moveTo puts the cursor on row i.
func (l listModel) moveTo(i int) (listModel, tea.Cmd) {
	l.cursor = max(0, min(i, l.length()-1))
	l = l.scrollToCursor()
	return l.ensureWindow()
}

// scrollToCursor keeps the cursor on screen.
func (l listModel) scrollToCursor() listModel {
	n := l.rows()
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if l.cursor >= l.top+n {
		l.top = l.cursor - n + 1
	}
	l.top = max(0, min(l.top, l.length()-n))
	return l
}

// setFlag changes the read or starred flag of an item in the loaded rows.
func (l listModel) setFlag(id string, starred, value bool) listModel {
	set := func(it *cache.Item) {
		if it.ID != id {
			return
		}
		if starred {
			it.Starred = value
		} else {
			it.Read = value
		}
	}
	for i := range l.win {
		set(&l.win[i])
	}
	for i := range l.hits {
		set(&l.hits[i].Item)
	}
	return l
}

// step moves the cursor for the reader's next and previous keys and returns
// the item now selected.
func (l listModel) step(delta int) (listModel, cache.Item, bool, tea.Cmd) {
	i := l.cursor + delta
	if i < 0 || i >= l.length() {
		return l, cache.Item{}, false, nil
	}
	it, ok := l.item(i)
	if !ok {
		return l, cache.Item{}, false, nil
	}
	l, cmd := l.moveTo(i)
	return l, it, true, cmd
}

// takePage makes a page read from the source the window.
func (l listModel) takePage(msg pageLoadedMsg) listModel {
	limit := msg.limit
	if limit <= 0 {
		limit = pageSize
	}
	l.win, l.winOff, l.loaded = msg.items, msg.offset, true
	l.short = limit < pageSize && len(l.win) == limit
	if msg.anchor != "" {
		for i, it := range l.win {
			if it.ID == msg.anchor {
				l.cursor = l.winOff + i
				break
			}
		}
	}
	if !l.counted && len(l.win) < limit {
		l.total = l.winOff + len(l.win)
	}
	l.cursor = max(0, min(l.cursor, l.length()-1))
	return l.scrollToCursor()
}

// update handles messages for the list.
func (l listModel) update(msg tea.Msg, k *keyMap) (listModel, tea.Cmd) {
	switch msg := msg.(type) {
	case pageLoadedMsg:
		if msg.gen != l.gen || (msg.offset != l.pending && l.pending != -1) {
			return l, nil
		}
		l.pending = -1
		if msg.err != nil {
			return l, errCmd(msg.err)
		}
		l = l.takePage(msg)
		if l.openOnLoad {
			l.openOnLoad = false
			if it, ok := l.selected(); ok {
				l.out = openArticleMsg{item: it}
			}
		}
		return l.ensureWindow()
	case firstPageMsg:
		if l.gen != 0 || l.loaded {
			return l, nil // the query changed meanwhile: its own reads follow
		}
		if msg.count.err == nil {
			l.total, l.counted = msg.count.n, true
		}
		if msg.page.err != nil {
			var count tea.Cmd
			if msg.count.err != nil {
				count = countCmd(l.be, l.gen, l.q)
			}
			return l, tea.Batch(errCmd(msg.page.err), l.readPage(0, ""), count)
		}
		// No ensureWindow: the rest of the page waits for started, so
		// that reading it does not hold up the first frame.
		l = l.takePage(msg.page)
		if msg.count.err != nil {
			return l, tea.Batch(errCmd(msg.count.err), countCmd(l.be, l.gen, l.q))
		}
		return l, nil
	case countedMsg:
		if msg.gen != l.gen {
			return l, nil
		}
		if msg.err != nil {
			return l, errCmd(msg.err)
		}
		l.total, l.counted = msg.n, true
		l.cursor = max(0, min(l.cursor, l.length()-1))
		return l.scrollToCursor(), nil
	case feedsLoadedMsg:
		if msg.err != nil {
			return l, errCmd(msg.err)
		}
		l.feeds = msg.ov.Feeds
		l.feedIdx = -1
		for i, f := range l.feeds {
			if f.URL == l.q.Feed {
				l.feedIdx = i
			}
		}
		return l, nil
	case searchedMsg:
		if msg.gen != l.searchGen || !l.searching {
			return l, nil
		}
		if msg.err != nil {
			return l, errCmd(msg.err)
		}
		l.hits = msg.hits
		l.cursor, l.top = 0, 0
		return l, nil
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			return l.move(3)
		case tea.MouseWheelUp:
			return l.move(-3)
		}
		return l, nil
	case tea.KeyPressMsg:
		if l.typing() {
			return l.updateInput(msg, k)
		}
		return l.updateKey(msg, k)
	case tea.PasteMsg:
		if l.typing() {
			return l.typeInput(msg)
		}
	}
	return l, nil
}

// updateKey handles a key when no text input is active.
func (l listModel) updateKey(msg tea.KeyPressMsg, k *keyMap) (listModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Down, k.Next):
		return l.move(1)
	case key.Matches(msg, k.Up, k.Prev):
		return l.move(-1)
	case key.Matches(msg, k.NextUnread, k.PrevUnread):
		l, _, _, cmd := l.stepUnread(key.Matches(msg, k.PrevUnread), false, false)
		return l, cmd
	case key.Matches(msg, k.PageDown):
		return l.move(l.rows())
	case key.Matches(msg, k.PageUp):
		return l.move(-l.rows())
	case key.Matches(msg, k.Top):
		return l.moveTo(0)
	case key.Matches(msg, k.Bottom):
		return l.moveTo(l.length() - 1)
	case key.Matches(msg, k.Open):
		if it, ok := l.selected(); ok {
			l.out = openArticleMsg{item: it}
		}
		return l, nil
	case key.Matches(msg, k.Filter):
		l.mode = inputFilter
		l.input = l.input.with(func(in *textinput.Model) {
			in.Prompt = "/"
			in.SetValue(l.q.Match)
			in.CursorEnd()
		})
		var cmd tea.Cmd
		l.input, cmd = l.input.focus()
		return l, cmd
	case key.Matches(msg, k.Search):
		l.mode = inputSearch
		l.input = l.input.with(func(in *textinput.Model) {
			in.Prompt = "search: "
			in.SetValue("")
		})
		var cmd tea.Cmd
		l.input, cmd = l.input.focus()
		return l, cmd
	case key.Matches(msg, k.Back):
		// q never gets here: the root quits on it.
		if l.searching {
			l.searching, l.hits = false, nil
			l.cursor, l.top = 0, 0
			return l.moveTo(0)
		}
		if l.q.Match != "" {
			l.q.Match = ""
			return l.requery()
		}
		l.out = backMsg{} // up to the feeds overview
		return l, nil
	case key.Matches(msg, k.NextFeed, k.PrevFeed):
		if len(l.feeds) == 0 {
			return l, statusCmd("no feeds yet")
		}
		d := 1
		if key.Matches(msg, k.PrevFeed) {
			d = -1
		}
		// -1 (all feeds) and 0…len-1 form one cycle.
		n := len(l.feeds) + 1
		l.feedIdx = (l.feedIdx+1+d+n)%n - 1
		l.q.Feed = ""
		if l.feedIdx >= 0 {
			l.q.Feed = l.feeds[l.feedIdx].URL
		}
		l.searching = false
		return l.requery()
	case key.Matches(msg, k.UnreadOnly):
		l.q.Unread = !l.q.Unread
		l.searching = false
		return l.requery()
	case key.Matches(msg, k.StarredOnly):
		l.q.Starred = !l.q.Starred
		l.searching = false
		return l.requery()
	case key.Matches(msg, k.ToggleRead, k.ToggleStar):
		it, ok := l.selected()
		if !ok {
			return l, nil
		}
		starred := key.Matches(msg, k.ToggleStar)
		value := !it.Read
		if starred {
			value = !it.Starred
		}
		l = l.setFlag(it.ID, starred, value)
		return l, setFlagCmd(l.be, it.ID, starred, value)
	}
	return l, nil
}

// updateInput handles a key while the filter or search input is active.
func (l listModel) updateInput(msg tea.KeyPressMsg, k *keyMap) (listModel, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Cancel):
		mode := l.mode
		l.mode = inputNone
		l.input = l.input.blur()
		if mode == inputFilter && l.q.Match != "" {
			l.q.Match = ""
			return l.requery()
		}
		return l, nil
	case key.Matches(msg, k.Confirm):
		mode := l.mode
		l.mode = inputNone
		l.input = l.input.blur()
		if mode == inputSearch {
			query := strings.TrimSpace(l.input.Value())
			if query == "" {
				return l, nil
			}
			l.searching, l.searchQuery, l.hits = true, query, nil
			l.searchGen++
			l.cursor, l.top = 0, 0
			return l, searchCmd(l.be, l.searchGen, query, searchLimit)
		}
		// enter ends the filter and opens the first match; the filtered
		// list is what esc from the reader returns to.
		if l.pending != -1 {
			l.openOnLoad = true
		} else if it, ok := l.selected(); ok {
			l.out = openArticleMsg{item: it}
		}
		return l, nil
	}
	return l.typeInput(msg)
}

// typeInput gives a key or a paste to the text input; the filter follows
// what it holds.
func (l listModel) typeInput(msg tea.Msg) (listModel, tea.Cmd) {
	var cmd tea.Cmd
	l.input, cmd = l.input.update(msg)
	if l.mode == inputFilter {
		if v := l.input.Value(); v != l.q.Match {
			l.q.Match = v
			l.searching = false
			var rq tea.Cmd
			l, rq = l.requery()
			cmd = tea.Batch(cmd, rq)
		}
	}
	return l, cmd
}

// inputView is the text input shown in the status line while typing.
func (l listModel) inputView() string { return l.input.View() }

// feedName is the display name of a feed URL.
func (l listModel) feedName(feedURL string) string {
	for _, f := range l.feeds {
		if f.URL == feedURL && f.Title != "" {
			return fetch.CleanLine(f.Title)
		}
	}
	if u, err := url.Parse(feedURL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return fetch.CleanLine(feedURL)
}

// view draws the bar and the rows.
func (l listModel) view(st *styles) string {
	var b strings.Builder
	b.Grow((l.height + 1) * (l.width + 16))
	b.WriteString(l.barView(st))
	n := l.rows()
	length := l.length()
	dateW := l.dateWidth()
	for r := 0; r < n; r++ {
		b.WriteByte('\n')
		i := l.top + r
		if i >= length {
			if r == 0 && l.emptyText() != "" {
				b.WriteString(st.Dim.Render(ansi.Truncate(l.emptyText(), l.width, "…")))
			}
			continue
		}
		it, ok := l.item(i)
		if !ok {
			b.WriteString(st.Dim.Render(ansi.Truncate("    …", l.width, "")))
			continue
		}
		b.WriteString(l.rowView(st, it, i == l.cursor, dateW))
	}
	return b.String()
}

// emptyText explains an empty list.
func (l listModel) emptyText() string {
	switch {
	case l.searching && l.hits == nil:
		return "  searching…"
	case l.searching:
		return "  nothing found; " + firstKey(l.keys.Back) + " returns to the list"
	case !l.counted:
		return ""
	case l.q.Match != "" || l.q.Unread || l.q.Starred || l.q.Feed != "":
		return "  no matching articles"
	default:
		return "  no articles yet: press " + firstKey(l.keys.SyncAll) + " to sync"
	}
}

// barView is the top line: what is shown and how many.
func (l listModel) barView(st *styles) string {
	parts := []string{"kiosk"}
	if l.searching {
		parts = append(parts, fmt.Sprintf("search %q", fetch.CleanLine(l.searchQuery)))
	} else {
		feed := "all feeds"
		if l.q.Feed != "" {
			feed = l.feedName(l.q.Feed)
		}
		parts = append(parts, feed)
		if l.q.Unread {
			parts = append(parts, "unread")
		}
		if l.q.Starred {
			parts = append(parts, "starred")
		}
		if l.q.Match != "" {
			parts = append(parts, fmt.Sprintf("filter %q", fetch.CleanLine(l.q.Match)))
		}
	}
	left := " " + strings.Join(parts, " · ")
	right := ""
	switch n := l.length(); {
	case n > 0 && (l.counted || l.searching):
		right = fmt.Sprintf("%d/%d ", l.cursor+1, n)
	case n > 0:
		right = fmt.Sprintf("%d/… ", l.cursor+1) // the count is on its way
	}
	return barLine(st, left, right, l.width)
}

// barLine fills a bar of width w with left and right text.
func barLine(st *styles, left, right string, w int) string {
	right = ansi.Truncate(right, max(0, w/2), "")
	left = ansi.Truncate(left, max(0, w-ansi.StringWidth(right)-1), "…")
	gap := max(0, w-ansi.StringWidth(left)-ansi.StringWidth(right))
	return st.Bar.Render(left + strings.Repeat(" ", gap) + right)
}

// rowView draws one article row: markers, time, feed, title.
func (l listModel) rowView(st *styles, it cache.Item, selected bool, dateW int) string {
	marks := [4]string{" ", " ", " ", " "}
	if !it.Read {
		marks[0] = "●"
	}
	if it.Starred {
		marks[1] = "★"
	}
	if it.Offline {
		marks[2] = "↓"
	}
	if it.Paywalled {
		marks[3] = "+"
	}
	when := padRight(shortTime(it.Published, it.FirstSeen, l.now()), dateW)
	prefix := when + " "
	if feedW := l.feedWidth(dateW); feedW > 0 {
		// The config's name of the feed, as everywhere; the cache's title
		// (the name at the feed's last full fetch) until the feeds are read.
		feed := l.feedName(it.Feed)
		if !l.knownFeed(it.Feed) && len(it.FeedTitles) > 0 {
			feed = fetch.CleanLine(it.FeedTitles[0])
		}
		prefix += padRight(ansi.Truncate(feed, feedW, "…"), feedW) + " "
	}
	titleW := max(0, l.width-4-1-ansi.StringWidth(prefix))
	title := ansi.Truncate(fetch.CleanLine(it.Title), titleW, "…")
	narrow := 5+ansi.StringWidth(prefix) > l.width
	if selected {
		line := marks[0] + marks[1] + marks[2] + marks[3] + " " + prefix + title
		if narrow {
			line = ansi.Truncate(line, l.width, "")
		}
		return st.rows.selected.wrap(padRight(line, l.width))
	}
	rs := st.rows
	var b strings.Builder
	b.Grow(len(prefix) + len(title) + 64)
	for i, mk := range [4]string{rs.unreadMark, rs.starMark, rs.offlineMark, rs.paywallMark} {
		if marks[i] == " " {
			b.WriteByte(' ')
		} else {
			b.WriteString(mk)
		}
	}
	b.WriteByte(' ')
	b.WriteString(rs.dim.wrap(prefix))
	if !it.Read {
		b.WriteString(rs.unread.wrap(title))
	} else {
		b.WriteString(rs.item.wrap(title))
	}
	if narrow {
		return ansi.Truncate(b.String(), l.width, "")
	}
	return b.String()
}

// shortTime formats an item's time: the clock today, the day this year,
// else the year.
func shortTime(published, seen, now time.Time) string {
	t := published
	if t.IsZero() {
		t = seen
	}
	if t.IsZero() {
		return ""
	}
	t = t.In(now.Location())
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("_2 Jan")
	default:
		return t.Format("_2 Jan 06")
	}
}

// dateWidth is the width of the date column: "19 Apr", or "19 Apr 24"
// when a loaded row is from another year.
func (l listModel) dateWidth() int {
	now := l.now()
	other := func(it cache.Item) bool {
		t := it.Published
		if t.IsZero() {
			t = it.FirstSeen
		}
		return !t.IsZero() && t.In(now.Location()).Year() != now.Year()
	}
	for _, it := range l.win {
		if other(it) {
			return 9
		}
	}
	for _, h := range l.hits {
		if other(h.Item) {
			return 9
		}
	}
	return 6
}

// Widths of the list's columns: the feed column is at most maxFeedW wide
// and gives way first on narrow terminals, down to minFeedW, below which
// it goes; the title keeps at least minTitleW.
const (
	maxFeedW  = 14
	minFeedW  = 5
	minTitleW = 30
)

// feedWidth is the width of the feed column, 0 when there is no room.
func (l listModel) feedWidth(dateW int) int {
	free := l.width - 5 - dateW - 1 - 1 // markers and a space, the date and a space, the feed's space
	w := min(maxFeedW, free-minTitleW)
	if w < minFeedW {
		return 0
	}
	return w
}

// knownFeed reports whether the feeds list names a feed.
func (l listModel) knownFeed(feedURL string) bool {
	for _, f := range l.feeds {
		if f.URL == feedURL && f.Title != "" {
			return true
		}
	}
	return false
}

// padRight pads s with spaces to w cells.
func padRight(s string, w int) string {
	if d := w - ansi.StringWidth(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}
