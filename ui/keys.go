package ui

import "charm.land/bubbles/v2/key"

// keyMap declares every key binding of kiosk once, with its help text, so
// that the help screen always tells the truth. The defaults are DESIGN.md's
// table; Tab, shift+Tab, u, * and N are kiosk additions (feed cycling, unread
// and starred views, previous match).
type keyMap struct {
	Up, Down, Open, Back          key.Binding
	Top, Bottom, PageDown, PageUp key.Binding
	Next, Prev                    key.Binding // next_article, prev_article: J, K, read or not
	NextUnread, PrevUnread        key.Binding // next_unread, prev_unread: n, p
	Feeds                         key.Binding // feeds: the feeds overview
	MarkAllRead, Undo             key.Binding // mark_all_read, undo: A, ctrl+z
	Ref, RefNumber, Links         key.Binding
	Browser, Copy                 key.Binding
	BrowserRead, Save, Pipe       key.Binding // o that also marks read; w; |
	Filter, Search                key.Binding
	Sync, SyncAll                 key.Binding
	ToggleRead, ToggleStar        key.Binding
	NextFeed, PrevFeed            key.Binding
	UnreadOnly, StarredOnly       key.Binding
	FindNext, FindPrev            key.Binding
	Confirm, Cancel               key.Binding
	Digit, Erase                  key.Binding // the number after #
	Help, Quit, ForceQuit         key.Binding
	Images, ViewImage             key.Binding // images, view_image: pictures on/off, one full-screen
}

// defaultKeyMap returns the keys of DESIGN.md's table.
func defaultKeyMap() keyMap {
	return keyMap{
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", "down")),
		Open:        key.NewBinding(key.WithKeys("enter", "l", "right"), key.WithHelp("enter/l", "open")),
		Back:        key.NewBinding(key.WithKeys("esc", "h", "left", "q"), key.WithHelp("esc/h/q", "back")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		PageDown:    key.NewBinding(key.WithKeys("space", "pgdown"), key.WithHelp("space/pgdn", "page down")),
		PageUp:      key.NewBinding(key.WithKeys("b", "pgup"), key.WithHelp("b/pgup", "page up")),
		Next:        key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "next article")),
		Prev:        key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "previous article")),
		NextUnread:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next unread")),
		PrevUnread:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous unread")),
		Feeds:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "feeds")),
		MarkAllRead: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "mark all read")),
		Undo:        key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "undo mark all")),
		Ref:         key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "open reference n")),
		RefNumber:   key.NewBinding(key.WithKeys("#"), key.WithHelp("#n enter", "open reference n")),
		Links:       key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "references")),
		Browser:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		Copy:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy URL")),
		BrowserRead: key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "browser, mark read")),
		Save:        key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save as Markdown")),
		Pipe:        key.NewBinding(key.WithKeys("|"), key.WithHelp("|", "pipe text to a command")),
		Images:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "pictures on/off")),
		ViewImage:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "view picture")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Search:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "search all text")),
		Sync:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "sync this feed")),
		SyncAll:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "sync all feeds")),
		ToggleRead:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "toggle read")),
		ToggleStar:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "toggle star")),
		NextFeed:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next feed")),
		PrevFeed:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous feed")),
		UnreadOnly:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unread only")),
		StarredOnly: key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "starred only")),
		FindNext:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		FindPrev:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Confirm:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Digit:       key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("0-9", "digit")),
		Erase:       key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "erase")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:   key.NewBinding(key.WithKeys("Q", "ctrl+c"), key.WithHelp("Q", "quit now")),
	}
}

// listKeys is the help.KeyMap shown under the article list.
type listKeys struct{ *keyMap }

// ShortHelp implements help.KeyMap.
func (k listKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.NextUnread, k.Feeds, k.MarkAllRead, k.Filter, k.Search, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k listKeys) FullHelp() [][]key.Binding {
	back := k.Back
	back.SetHelp(withoutKeys(back.Help().Key, k.Quit.Keys()), "clear filter, feeds") // q quits here
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp},
		{k.Open, back, k.Filter, k.Search, k.NextFeed, k.PrevFeed},
		{k.UnreadOnly, k.StarredOnly, k.ToggleRead, k.ToggleStar, k.Browser, k.BrowserRead, k.Copy},
		{k.NextUnread, k.PrevUnread, k.Feeds, k.MarkAllRead, k.Undo},
		{k.Sync, k.SyncAll, k.Help, k.Quit, k.ForceQuit},
	}
}

// feedsKeys is the help.KeyMap shown under the feeds overview.
type feedsKeys struct{ *keyMap }

// ShortHelp implements help.KeyMap.
func (k feedsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.NextUnread, k.MarkAllRead, k.SyncAll, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k feedsKeys) FullHelp() [][]key.Binding {
	open := k.Open
	open.SetHelp(open.Help().Key, "show its articles")
	next, prev := k.NextUnread, k.PrevUnread
	next.SetHelp(next.Help().Key, "next feed with unread")
	prev.SetHelp(prev.Help().Key, "previous feed with unread")
	mark := k.MarkAllRead
	mark.SetHelp(mark.Help().Key, "mark the feed read")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp},
		{open, k.Back, next, prev},
		{mark, k.Undo, k.Sync, k.SyncAll},
		{k.Help, k.Quit, k.ForceQuit},
	}
}

// readerKeys is the help.KeyMap shown under the reader.
type readerKeys struct {
	*keyMap
	finding bool // n and N move between matches while a find is active
}

// ShortHelp implements help.KeyMap.
func (k readerKeys) ShortHelp() []key.Binding {
	if k.finding {
		return []key.Binding{k.FindNext, k.FindPrev, k.Cancel, k.Help}
	}
	return []key.Binding{k.Ref, k.Links, k.NextUnread, k.Next, k.Browser, k.Back, k.Help}
}

// FullHelp implements help.KeyMap.
func (k readerKeys) FullHelp() [][]key.Binding {
	find := k.Filter
	find.SetHelp(find.Help().Key, "find in article")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp},
		{k.NextUnread, k.PrevUnread, k.Next, k.Prev, k.Feeds, k.MarkAllRead, k.Undo},
		{k.Ref, k.RefNumber, k.Links, k.Back},
		{find, k.FindNext, k.FindPrev, k.Browser, k.BrowserRead, k.Copy},
		{k.Save, k.Pipe, k.Images, k.ViewImage},
		{k.ToggleRead, k.ToggleStar, k.Help, k.ForceQuit},
	}
}

// linksKeys is the help.KeyMap shown under the references panel.
type linksKeys struct{ *keyMap }

// ShortHelp implements help.KeyMap.
func (k linksKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Browser, k.Copy, k.Back, k.Help}
}

// FullHelp implements help.KeyMap.
func (k linksKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.Open, k.Ref, k.Browser, k.Copy},
		{k.Back, k.Help, k.ForceQuit},
	}
}
