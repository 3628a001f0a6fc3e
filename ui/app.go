// Package ui is kiosk's terminal reader: a bubbletea app with an article
// list, a reader, a references panel and help. It reads everything through
// a Source and never does I/O in Update: reads, renders, syncs and the
// browser run in commands.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// Source is everything the UI reads and asks for; cmd/kiosk adapts the cache
// and fetch to it, tests fake it.
type Source interface {
	List(ctx context.Context, q cache.Query) ([]cache.Item, error)
	Count(ctx context.Context, q cache.Query) (int, error)
	// Overview lists the subscribed feeds (named as in the config) with
	// their counts and last errors, and the counts of all feeds.
	Overview(ctx context.Context) (cache.Overview, error)
	// MarkQueryRead marks every unread article of a view read and returns
	// the IDs it changed; SetReadIDs(ids, false) undoes it.
	MarkQueryRead(ctx context.Context, q cache.Query) ([]string, error)
	SetReadIDs(ctx context.Context, ids []string, read bool) ([]string, error)
	// NextUnread finds the unread article after (or before) fromID in q's
	// view, with its offset; an error wrapping cache.ErrNotFound when none.
	NextUnread(ctx context.Context, q cache.Query, fromID string, backward bool) (cache.Item, int, error)
	// Article returns the cached full article, else a teaser Article whose
	// Notice says why the full text is missing.
	Article(ctx context.Context, id string) (fetch.Article, error)
	Search(ctx context.Context, query string, limit int) ([]cache.Hit, error)
	SetRead(ctx context.Context, id string, read bool) error
	SetStarred(ctx context.Context, id string, starred bool) error
	// OpenURL returns a referenced page: from the cache when its StableID is
	// cached, else fetched and extracted. An error (offline, not HTML) means
	// "open it in the browser instead".
	OpenURL(ctx context.Context, url string) (fetch.Article, error)
	// Sync fetches the given feeds (nil: all) and their articles, reporting
	// progress; the UI calls it in the background.
	Sync(ctx context.Context, feedURLs []string, progress func(fetch.Event)) (fetch.Summary, error)
	// Pictures returns the stored pictures of an entry (none when it has
	// none); Picture.URL is the Figure.Image of the figure it belongs to.
	Pictures(ctx context.Context, id string) ([]fetch.Picture, error)
}

// Options configure the UI.
type Options struct {
	Offline        bool   // never sync; the status line says "offline"
	RefreshOnStart bool   // sync all feeds in the background at start
	StartScreen    string // "feeds" opens the feeds overview first; else the list
	Width, Height  int    // initial size, for tests; the terminal's size arrives anyway
	// Browser opens a URL in the browser; the UI only passes http and https
	// URLs. The default is Browser(EnvBrowser(os.Getenv)): $BROWSER or
	// xdg-open, without a shell.
	Browser func(url string) error
	NoColor bool             // NO_COLOR: no colours, glamour's notty style
	ASCII   bool             // plain ASCII rendering of articles, for tests
	Now     func() time.Time // the clock, for tests
	// Renderer renders articles; nil makes a new one.
	Renderer *Renderer
	// Keys remaps actions to keys: the config's [keys] table, checked with
	// CheckKeys. A table with problems is not used; the status line shows
	// its first problem and the default keys work.
	Keys map[string][]string
	// SaveDir is where the save key writes articles as Markdown.
	SaveDir string
	// RefreshInterval syncs all feeds in the background this often; 0 never.
	RefreshInterval time.Duration
	// WatchInterval is how often the reader asks whether another process
	// (a cron kiosk sync) has changed the cache, to reload the list; 0
	// never. It needs a Source with Changed (see changeWatcher).
	WatchInterval time.Duration
	// Images shows the stored pictures above their captions in the reader,
	// drawn with ImageProtocol: an image_protocol value ("auto" or "":
	// detected from the environment; see readerProtocol).
	Images        bool
	ImageProtocol string
	// FirstPage is the list's first screenful, read ahead (Prefetch);
	// nil: the list reads its first page itself.
	FirstPage *FirstPage
	// StartDelay is how long after the first frame with rows the UI waits
	// before the work that frame did not need (the feeds, the rest of the
	// first page, preparing the article renderer), so that it does not
	// compete with drawing that frame; 0 starts it at once.
	StartDelay time.Duration
	// Started, when set, is called (in a command) once that work starts:
	// the first frame with rows is on the screen.
	Started func()
}

// screen is one of the UI's screens.
type screen int

const (
	screenList screen = iota
	screenReader
	screenLinks
	screenHelp
	screenFeeds
)

// syncState is what the status line shows about the background sync.
type syncState struct {
	running               bool
	feedsDone, feedsTotal int
	artsDone, artsTotal   int
	newItems              int
	failures              []string // "feed: reason", in order of arrival
	finished              bool
	networkDown           bool
}

// Model is the root tea.Model. It owns size, theme, status and routing;
// the screens own their state.
type Model struct {
	be       backend
	opts     Options
	keys     *keyMap // never changed in place
	styles   *styles // never changed in place: a new theme is a new value
	renderer *Renderer
	browse   func(string) error

	width, height int
	active        screen
	list          listModel
	reader        readerModel
	links         linksModel
	help          helpModel
	feeds         feedsModel
	undo          []string // the IDs the last mark-all changed, for ctrl+z

	sync   syncState
	watch  watchState // the cache's change counter, to notice other processes' syncs
	status string
	err    error // shown in the status line, never fatal
	// firstPage: the list's first page has arrived (or failed to). Until
	// then the list shows nothing, so that its first frame has its rows
	// rather than being a frame of an empty list followed by another.
	firstPage bool
}

// New builds the UI over a source.
func New(src Source, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Renderer == nil {
		opts.Renderer = NewRenderer()
	}
	browse := opts.Browser
	if browse == nil {
		browse = Browser(EnvBrowser(os.Getenv))
	}
	st := newStyles(true, opts.NoColor)
	be := backend{ctx: context.Background(), src: src, writes: &sync.WaitGroup{}}
	ck, keysErr := configuredKeys(opts.Keys)
	pics := newPictureState(opts, os.Getenv)
	keys := withPictureKeys(&ck, pics)
	m := Model{
		be: be, opts: opts, keys: keys, styles: st, err: keysErr,
		renderer: opts.Renderer, browse: browse,
		list:   newListModel(be, opts.Now, opts.FirstPage),
		reader: newReaderModel(be, opts.Renderer, st.renderStyle(opts.ASCII), opts.Now().Location()),
	}
	m.reader, _ = m.reader.setStyles(st, st.renderStyle(opts.ASCII))
	m.list = m.list.setStyles(st)
	m.reader.keys, m.list.keys = keys, keys // for the key names their views mention
	m.reader.pics = pics
	if opts.StartScreen == "feeds" {
		m.active = screenFeeds
	}
	if opts.Width > 0 && opts.Height > 0 {
		m = m.resize(opts.Width, opts.Height)
		m.reader, _ = m.reader.setSize(opts.Width, max(1, opts.Height-2)) // nothing to render yet
	}
	return m
}

// Run runs the UI until the user quits or ctx ends. Reads and syncs still
// running then are cancelled.
func Run(ctx context.Context, m Model, opts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m = m.withContext(ctx)
	// 120 frames per second at most (bubbletea's ceiling; 60 by default):
	// a frame after a quiet interval is drawn at once anyway (the patched
	// renderer in third_party/bubbletea), but a frame that follows one
	// closely, such as a command's result right after a key, waits half as
	// long. An idle program does not tick at all.
	base := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(120)}
	if m.reader.pics.proto == ProtocolKitty {
		// A kitty placeholder cell carries its image's ID in its 24-bit
		// foreground colour; mapped to 256 colours (as under a tmux that does
		// not announce RGB) it names another image, so keep the colours whole.
		base = append(base, tea.WithColorProfile(colorprofile.TrueColor))
	}
	p := tea.NewProgram(m, append(base, opts...)...)
	_, err := p.Run()
	// A mark made just before quitting is still being written.
	m.WaitWrites(writeGrace)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("run the reader: %w", err)
	}
	return nil
}

// writeGrace bounds the wait for state writes in flight at exit (a write
// takes milliseconds; a command bubbletea never ran is not waited for
// longer).
const writeGrace = 3 * time.Second

// WaitWrites waits until the read and starred marks the reader made are
// written, at most timeout; it reports whether they were.
func (m Model) WaitWrites(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		m.be.writes.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// withContext makes every command of m run under ctx.
func (m Model) withContext(ctx context.Context) Model {
	m.be.ctx = ctx
	m.list.be.ctx = ctx
	m.reader.be.ctx = ctx
	return m
}

// Init implements tea.Model: the first page from the cache, then a sync.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.list.init()}
	if m.asksTerminalForPictures() {
		cmds = append(cmds, tea.RequestTerminalVersion)
	}
	if m.active == screenFeeds {
		cmds = append(cmds, loadFeedsCmd(m.be))
	}
	if m.opts.RefreshOnStart && !m.opts.Offline {
		cmds = append(cmds, func() tea.Msg { return startSyncMsg{} })
	}
	cmds = append(cmds, m.freshInit())
	return tea.Batch(cmds...)
}

// resize sets the size of every screen but the reader, whose resize may
// need a render command.
func (m Model) resize(w, h int) Model {
	m.width, m.height = w, h
	area := max(1, h-2) // status and help lines
	m.list = m.list.setSize(w, area)
	m.links = m.links.setSize(w, area)
	m.feeds = m.feeds.setSize(w, area)
	m.help.width, m.help.height = w, area
	return m
}

// typing reports whether keys go to a text input.
func (m Model) typing() bool {
	switch m.active {
	case screenList:
		return m.list.typing()
	case screenReader:
		return m.reader.typing()
	case screenLinks, screenHelp, screenFeeds:
	}
	return false
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	target := m.active
	var started tea.Cmd // after the first page: startedMsg, a little later
	if nm, cmd, done := m.routineMsg(msg); done {
		return nm, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m = m.resize(msg.Width, msg.Height)
		var cmd tea.Cmd
		m.reader, cmd = m.reader.setSize(msg.Width, max(1, msg.Height-2))
		return m, cmd
	case tea.TerminalVersionMsg:
		return m.terminalAnswered(msg.Name), nil
	case tea.BackgroundColorMsg:
		m.styles = newStyles(msg.IsDark(), m.opts.NoColor)
		m.list = m.list.setStyles(m.styles)
		var cmd tea.Cmd
		m.reader, cmd = m.reader.setStyles(m.styles, m.styles.renderStyle(m.opts.ASCII))
		return m, cmd
	case errMsg:
		m.err = msg.err
		return m, nil
	case statusMsg:
		m.status = string(msg)
		return m, nil
	case pageLoadedMsg, countedMsg, feedsLoadedMsg, searchedMsg, firstPageMsg:
		target = screenList
		_, page := msg.(pageLoadedMsg)
		_, first := msg.(firstPageMsg)
		if (page || first) && !m.firstPage {
			m.firstPage = true
			started = startedCmd(m.opts.StartDelay)
		}
	case startedMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.started()
		return m, tea.Batch(cmd, warmRendererCmd(m.renderer, m.reader.bodyWidth(), m.reader.style), callCmd(m.opts.Started))
	case articleLoadedMsg, articleRenderedMsg, picturesLoadedMsg, picturesDrawnMsg, picturesSentMsg:
		target = screenReader
	case tea.KeyPressMsg:
		m.err, m.status = nil, ""
		if nm, cmd, done := m.routineKey(msg); done {
			return nm, cmd
		}
		if nm, cmd, done := m.globalKey(msg); done {
			return nm, cmd
		}
	case openArticleMsg:
		return m.openArticle(msg.item)
	case stepArticleMsg:
		var it cache.Item
		var ok bool
		var cmd tea.Cmd
		m.list, it, ok, cmd = m.list.step(msg.delta)
		if !ok {
			if msg.delta > 0 {
				return m, tea.Batch(cmd, statusCmd("no next article"))
			}
			return m, tea.Batch(cmd, statusCmd("no previous article"))
		}
		nm, ocmd := m.openArticle(it)
		return nm, tea.Batch(cmd, ocmd)
	case backMsg:
		switch m.active {
		case screenList: // the list has nowhere to go back to
		case screenReader:
			m.active = screenList
		case screenLinks:
			m.active = screenReader
		case screenHelp:
			m.active = m.help.from
		case screenFeeds: // routineMsg handles it
		}
		return m, nil
	case showLinksMsg:
		title := ""
		if p, ok := m.reader.top(); ok {
			title = p.article.Title
		}
		m.links = m.links.setRefs(title, m.reader.references())
		m.active = screenLinks
		return m, nil
	case openRefMsg:
		return m.openRef(msg.ref)
	case refOpenedMsg:
		if m.reader.pendingRef != msg.url || (m.active != screenReader && m.active != screenLinks) {
			return m, nil // the user has moved on
		}
		var cmd tea.Cmd
		m.reader, cmd = m.reader.push(msg.article, msg.url)
		m.active = screenReader
		m.status = ""
		return m, cmd
	case refFailedMsg:
		if m.reader.pendingRef == msg.url {
			m.reader.pendingRef = ""
		}
		m.status = "opening in the browser: " + fetch.CleanLine(msg.err.Error())
		return m, browseCmd(m.browse, msg.url)
	case browserOpenedMsg:
		if msg.err != nil {
			m.err = msg.err
		} else {
			m.status = "opened in the browser: " + fetch.CleanLine(msg.url)
		}
		return m, nil
	case stateWrittenMsg:
		if msg.err != nil {
			m.err = msg.err
			m.list = m.list.setFlag(msg.id, msg.starred, !msg.value)
		}
		return m, m.rebaseCmd() // our own write needs no reload
	case watchTickMsg, changesCheckedMsg, refreshTickMsg:
		return m.updateFresh(msg)
	case savedMsg:
		if msg.err != nil {
			m.err = msg.err
		} else {
			m.status = "saved " + fetch.CleanLine(msg.path)
		}
		return m, nil
	case pipeArticleMsg:
		p, ok := m.reader.top()
		if !ok || !p.loaded {
			return m, nil
		}
		m.status = "| " + fetch.CleanLine(msg.command) + " …"
		return m, pipeTextCmd(m.be, msg.command, p.article)
	case pipeReadyMsg:
		return m, interactivePipe(m.be.ctx, msg.command, msg.text)
	case pipedMsg:
		switch {
		case msg.err != nil:
			m.status, m.err = "", msg.err
		case msg.interactive:
			m.status = ""
		case msg.output == "":
			m.status = "| " + fetch.CleanLine(msg.command) + ": done, no output"
		default:
			m.status = "| " + fetch.CleanLine(msg.command) + ": " + msg.output
		}
		return m, nil
	case startSyncMsg:
		return m.startSync(msg.feeds)
	case syncEventMsg:
		return m.syncEvent(msg)
	case syncDoneMsg:
		return m.syncDone(msg)
	}
	var cmd tea.Cmd
	var out tea.Msg
	switch target {
	case screenList:
		m.list, cmd = m.list.update(msg, m.keys)
		out, m.list.out = m.list.out, nil
	case screenReader:
		m.reader, cmd = m.reader.update(msg, m.keys)
		out, m.reader.out = m.reader.out, nil
	case screenLinks:
		m.links, cmd = m.links.update(msg, m.keys)
		out, m.links.out = m.links.out, nil
	case screenHelp:
		m.help, cmd = m.help.update(msg, m.keys)
		out, m.help.out = m.help.out, nil
	case screenFeeds:
		m.feeds, cmd = m.feeds.update(msg, m.keys)
		out, m.feeds.out = m.feeds.out, nil
	}
	if out != nil {
		// Navigation happens in the same Update, not through a command, so
		// that the next key already lands on the new screen.
		nm, next := m.Update(out)
		return nm, tea.Batch(cmd, next, started)
	}
	return m, tea.Batch(cmd, started)
}

// globalKey handles the keys that mean the same on every screen.
func (m Model) globalKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	// While a text input is active, a printable force-quit key (Q) is text:
	// only named keys (ctrl+c) quit from there.
	if key.Matches(msg, k.ForceQuit) && (!m.typing() || utf8.RuneCountInString(msg.String()) > 1) {
		return m, tea.Quit, true
	}
	if m.typing() || m.active == screenHelp {
		return m, nil, false
	}
	switch {
	case m.active == screenList && key.Matches(msg, k.Quit):
		return m, tea.Quit, true
	case key.Matches(msg, k.Help):
		m.help.from = m.active
		m.active = screenHelp
		return m, nil, true
	case key.Matches(msg, k.Browser):
		u := m.currentURL()
		if u == "" {
			return m, nil, true
		}
		return m, browseCmd(m.browse, u), true
	case key.Matches(msg, k.BrowserRead) && (m.active == screenList || m.active == screenReader):
		return m.browseAndMarkRead()
	case m.active == screenReader && key.Matches(msg, k.Save):
		p, ok := m.reader.top()
		if !ok || !p.loaded {
			m.status = "nothing to save yet"
			return m, nil, true
		}
		return m, saveArticleCmd(m.opts.SaveDir, p.article), true
	case key.Matches(msg, k.Copy):
		u := m.currentURL()
		if u == "" {
			return m, nil, true
		}
		m.status = "copied " + fetch.CleanLine(u)
		return m, tea.SetClipboard(u), true
	case key.Matches(msg, k.SyncAll) && m.active != screenLinks:
		nm, cmd := m.startSync(nil)
		return nm, cmd, true
	case key.Matches(msg, k.Sync) && m.active != screenLinks:
		feed := m.list.q.Feed
		if feed == "" {
			if it, ok := m.list.selected(); ok {
				feed = it.Feed
			}
		}
		if m.active == screenReader {
			if p, ok := m.reader.top(); ok && p.item.Feed != "" {
				feed = p.item.Feed
			}
		}
		if feed == "" {
			return m, nil, true
		}
		nm, cmd := m.startSync([]string{feed})
		return nm, cmd, true
	case m.active == screenReader && key.Matches(msg, k.ToggleRead, k.ToggleStar):
		if len(m.reader.stack) == 0 || m.reader.stack[0].item.ID == "" {
			return m, nil, true
		}
		it := &m.reader.stack[0].item
		starred := key.Matches(msg, k.ToggleStar)
		value := !it.Read
		switch {
		case starred:
			value = !it.Starred
			it.Starred = value
			m.status = "unstarred"
			if value {
				m.status = "starred"
			}
		default:
			it.Read = value
			m.status = "marked unread"
			if value {
				m.status = "marked read"
			}
		}
		m.list = m.list.setFlag(it.ID, starred, value)
		return m, setFlagCmd(m.be, it.ID, starred, value), true
	}
	return m, nil, false
}

// browseAndMarkRead opens the selected or shown article in the browser and
// marks it read.
func (m Model) browseAndMarkRead() (Model, tea.Cmd, bool) {
	u := m.currentURL()
	if u == "" {
		return m, nil, true
	}
	var it cache.Item
	switch m.active {
	case screenList:
		it, _ = m.list.selected()
	case screenReader:
		if len(m.reader.stack) > 0 {
			m.reader.stack[0].item.Read = true
			it = m.reader.stack[0].item
			it.Read = false // the list's row may say unread; write it anyway
		}
	case screenLinks, screenHelp, screenFeeds:
	}
	cmds := []tea.Cmd{browseCmd(m.browse, u)}
	if it.ID != "" && !it.Read {
		m.list = m.list.setFlag(it.ID, false, true)
		cmds = append(cmds, setFlagCmd(m.be, it.ID, false, true))
	}
	return m, tea.Batch(cmds...), true
}

// currentURL is what o and y act on: the selected article, the shown page or
// the selected reference.
func (m Model) currentURL() string {
	switch m.active {
	case screenList:
		if it, ok := m.list.selected(); ok {
			return it.URL
		}
	case screenReader:
		return m.reader.url()
	case screenLinks:
		if ref, ok := m.links.selected(); ok {
			return ref.URL
		}
	case screenHelp, screenFeeds:
	}
	return ""
}

// openArticle shows an item in the reader and marks it read.
func (m Model) openArticle(it cache.Item) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	if !it.Read {
		it.Read = true
		m.list = m.list.setFlag(it.ID, false, true)
		cmds = append(cmds, setFlagCmd(m.be, it.ID, false, true))
	}
	var cmd tea.Cmd
	m.reader, cmd = m.reader.open(it)
	if m.active == screenList && m.list.searching { // a search hit opens at the hit
		m.reader = m.reader.findOnOpen(searchTerms(m.list.searchQuery))
	}
	m.active = screenReader
	return m, tea.Batch(append(cmds, cmd)...)
}

// openRef opens a reference inside kiosk when it can, else in the browser.
func (m Model) openRef(ref fetch.Reference) (Model, tea.Cmd) {
	if err := checkWebURL(ref.URL); err != nil {
		m.err = fmt.Errorf("reference [%d]: %w", ref.N, err)
		return m, nil
	}
	if ref.Image {
		return m, browseCmd(m.browse, ref.URL)
	}
	m.reader.pendingRef = ref.URL
	m.status = fmt.Sprintf("opening [%d] %s…", ref.N, fetch.CleanLine(ref.URL))
	return m, openRefCmd(m.be, ref.URL)
}

// startSync starts a background sync unless one runs or kiosk is offline.
func (m Model) startSync(feeds []string) (Model, tea.Cmd) {
	switch {
	case m.opts.Offline:
		m.status = "offline: sync is off (--offline)"
		return m, nil
	case m.sync.running:
		m.status = "a sync is already running"
		return m, nil
	}
	m.sync = syncState{running: true}
	ch := make(chan tea.Msg, 64)
	return m, syncCmds(m.be, feeds, ch)
}

// syncEvent updates the status line from a progress event.
func (m Model) syncEvent(msg syncEventMsg) (Model, tea.Cmd) {
	ev := msg.ev
	cmds := []tea.Cmd{waitSyncCmd(msg.next)}
	switch ev.Kind {
	case fetch.EventStart:
		m.sync.feedsTotal = ev.Total
	case fetch.EventFeedDone:
		m.sync.feedsDone, m.sync.feedsTotal = ev.Done, ev.Total
		m.sync.newItems += ev.New
		if ev.Err != nil {
			m.sync.failures = append(m.sync.failures, m.list.feedName(ev.Feed)+": "+fetch.CleanLine(ev.Err.Error()))
		}
		if ev.New > 0 {
			var cmd tea.Cmd
			m.list, cmd = m.list.refresh(false)
			cmds = append(cmds, cmd)
		}
	case fetch.EventArticlesStart:
		m.sync.artsTotal = ev.Total
	case fetch.EventArticleDone:
		m.sync.artsDone, m.sync.artsTotal = ev.Done, ev.Total
		if ev.Err == nil && ev.URL != "" {
			var cmd tea.Cmd
			m.reader, cmd = m.reader.fullTextFetched(ev.URL)
			cmds = append(cmds, cmd)
		}
	case fetch.EventDone: // the summary comes with syncDoneMsg
	}
	return m, tea.Batch(cmds...)
}

// syncDone records the outcome of a sync and rereads the list.
func (m Model) syncDone(msg syncDoneMsg) (Model, tea.Cmd) {
	s := msg.summary
	m.sync.running, m.sync.finished = false, true
	m.sync.newItems = max(m.sync.newItems, s.NewEntries)
	if len(m.sync.failures) == 0 {
		for _, f := range s.Failures {
			if f.URL == "" && f.Err != nil {
				m.sync.failures = append(m.sync.failures, m.list.feedName(f.Feed)+": "+fetch.CleanLine(f.Err.Error()))
			}
		}
	}
	m.sync.networkDown = s.FeedsFailed > 0 && s.FeedsOK == 0 && s.FeedsNotModified == 0
	if msg.err != nil {
		m.sync.networkDown = m.sync.networkDown || s.FeedsOK == 0
		if len(m.sync.failures) == 0 {
			m.err = msg.err // the failures by feed already say it otherwise
		}
	}
	var cmd, reload tea.Cmd
	m.list, cmd = m.list.refresh(true)
	m.reader, reload = m.reader.fullTextFetched("")
	return m, tea.Batch(cmd, reload, m.rebaseCmd())
}

// syncText is the sync part of the status line.
func (m Model) syncText() string {
	s := m.sync
	switch {
	case s.running:
		t := "syncing…"
		if s.feedsTotal > 0 {
			t = fmt.Sprintf("syncing feeds %d/%d", s.feedsDone, s.feedsTotal)
		}
		if s.artsTotal > 0 {
			t += fmt.Sprintf(" · articles %d/%d", s.artsDone, s.artsTotal)
		}
		if s.newItems > 0 {
			t += fmt.Sprintf(" · %d new", s.newItems)
		}
		if n := len(s.failures); n > 0 {
			t += fmt.Sprintf(" · %d failed", n)
		}
		return t
	case s.finished:
		t := fmt.Sprintf("synced · %d new", s.newItems)
		if n := len(s.failures); n > 0 {
			word := "feeds"
			if n == 1 {
				word = "feed"
			}
			t += fmt.Sprintf(" · %d %s failed: %s", n, word, strings.Join(s.failures, "; "))
		}
		return t
	}
	return ""
}

// View implements tea.Model.
func (m Model) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if m.width <= 0 || m.height <= 0 || m.active == screenList && !m.firstPage {
		return v
	}
	area := max(1, m.height-2)
	var body string
	var km help.KeyMap
	switch m.active {
	case screenList:
		body, km = m.list.view(m.styles), listKeys{m.keys}
	case screenReader:
		body, km = m.reader.view(m.styles), readerKeys{keyMap: m.keys, finding: m.reader.find != ""}
	case screenLinks:
		body, km = m.links.view(m.styles), linksKeys{m.keys}
	case screenFeeds:
		body, km = m.feeds.view(m.styles), feedsKeys{m.keys}
	case screenHelp:
		body = m.help.view(m.styles, m.helpKeys(m.help.from))
		km = helpScreenKeys{m.keys}
	}
	var b strings.Builder
	b.Grow(len(body) + 2*m.width + 64)
	writeLines(&b, body, area)
	b.WriteByte('\n')
	b.WriteString(m.statusView())
	b.WriteByte('\n')
	hm := help.New()
	hm.Styles = m.styles.Help
	hm.SetWidth(m.width)
	b.WriteString(ansi.Truncate(hm.ShortHelpView(km.ShortHelp()), m.width, ""))
	content := b.String()
	if m.height < 3 { // too short for the status and help lines: the top only
		var cut strings.Builder
		writeLines(&cut, content, m.height)
		content = cut.String()
	}
	v.SetContent(content)
	return v
}

// helpKeys is the key map of a screen, for the help screen.
func (m Model) helpKeys(s screen) help.KeyMap {
	switch s {
	case screenReader:
		return readerKeys{keyMap: m.keys}
	case screenLinks:
		return linksKeys{m.keys}
	case screenFeeds:
		return feedsKeys{m.keys}
	case screenList, screenHelp:
	}
	return listKeys{m.keys}
}

// statusView is the status line: an input, an error, a note or the sync,
// with "offline" on the right when there is no network.
func (m Model) statusView() string {
	right := ""
	switch {
	case m.opts.Offline:
		right = "offline"
	case m.sync.networkDown:
		right = "offline (network down)"
	}
	var left string
	switch {
	case m.active == screenList && m.list.typing():
		left = m.list.inputView()
	case m.active == screenReader && m.reader.typing():
		left = m.reader.inputView()
	case m.err != nil:
		left = m.styles.Error.Render(ansi.Truncate(" "+fetch.CleanLine(m.err.Error()), max(0, m.width-len(right)-1), "…"))
	case m.status != "":
		left = m.styles.Status.Render(ansi.Truncate(" "+m.status, max(0, m.width-len(right)-1), "…"))
	case m.active == screenList && m.list.searching:
		if it, ok := m.list.selected(); ok && m.list.cursor < len(m.list.hits) {
			snip := fetch.CleanLine(m.list.hits[m.list.cursor].Snippet)
			if snip == "" {
				snip = fetch.CleanLine(it.Summary)
			}
			left = m.styles.Dim.Render(ansi.Truncate(" "+snip, max(0, m.width-len(right)-1), "…"))
		}
	default:
		left = m.styles.Status.Render(ansi.Truncate(" "+m.syncText(), max(0, m.width-len(right)-1), "…"))
	}
	if right == "" {
		return ansi.Truncate(left, m.width, "")
	}
	gap := max(1, m.width-ansi.StringWidth(left)-len(right))
	return ansi.Truncate(left+strings.Repeat(" ", gap)+m.styles.Error.Render(right), m.width, "")
}

// writeLines writes s cut or padded to exactly n lines.
func writeLines(b *strings.Builder, s string, n int) {
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := s
		if j := strings.IndexByte(s, '\n'); j >= 0 {
			line, s = s[:j], s[j+1:]
		} else {
			s = ""
		}
		b.WriteString(line)
	}
}

// helpScreenKeys is the help.KeyMap shown under the help screen.
type helpScreenKeys struct{ *keyMap }

// ShortHelp implements help.KeyMap.
func (k helpScreenKeys) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.ForceQuit} }

// FullHelp implements help.KeyMap.
func (k helpScreenKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// statusCmd puts a note in the status line.
func statusCmd(s string) tea.Cmd { return func() tea.Msg { return statusMsg(s) } }

// errCmd puts an error in the status line.
func errCmd(err error) tea.Cmd { return func() tea.Msg { return errMsg{err: err} } }
