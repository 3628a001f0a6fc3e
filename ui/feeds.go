package ui

import (
	"fmt"
	"net/url"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// feedsModel is the feeds overview: "all feeds" and every subscribed feed
// with its unread and total counts, failed feeds marked, the whole error
// of the selected one under it.
type feedsModel struct {
	out           tea.Msg // a navigation request for the root
	width, height int
	ov            cache.Overview
	loaded        bool
	cursor        int // 0 is "all feeds", i+1 is ov.Feeds[i]
	top           int // first visible row
	from          screen
	canBack       bool // esc returns to from (the overview was opened from there)
}

// setSize resizes the overview.
func (f feedsModel) setSize(w, h int) feedsModel {
	f.width, f.height = w, h
	return f.scrollToCursor()
}

// rows is the number of rows: all feeds and one per feed.
func (f feedsModel) rows() int { return 1 + len(f.ov.Feeds) }

// selectedURL is the URL of the selected feed, "" for all feeds.
func (f feedsModel) selectedURL() string {
	if f.cursor <= 0 || f.cursor > len(f.ov.Feeds) {
		return ""
	}
	return f.ov.Feeds[f.cursor-1].URL
}

// selectURL puts the cursor on a feed ("" for all feeds).
func (f feedsModel) selectURL(feedURL string) feedsModel {
	f.cursor = 0
	for i, fi := range f.ov.Feeds {
		if fi.URL == feedURL {
			f.cursor = i + 1
		}
	}
	return f.scrollToCursor()
}

// setOverview takes a new overview, keeping the cursor on the same feed.
func (f feedsModel) setOverview(ov cache.Overview) feedsModel {
	keep := f.selectedURL()
	f.ov, f.loaded = ov, true
	return f.selectURL(keep)
}

// detail is the text under the selected feed: its whole last error.
func (f feedsModel) detail() []string {
	if f.cursor == 0 || f.cursor > len(f.ov.Feeds) {
		return nil
	}
	fi := f.ov.Feeds[f.cursor-1]
	if fi.LastError == "" {
		return nil
	}
	w := max(10, f.width-6)
	return strings.Split(ansi.Wrap("last sync failed: "+fetch.CleanLine(fi.LastError), w, " /"), "\n")
}

// area is the number of lines below the bar.
func (f feedsModel) area() int { return max(1, f.height-1) }

// scrollToCursor keeps the selected row and its detail lines on screen.
func (f feedsModel) scrollToCursor() feedsModel {
	n := f.area()
	d := min(len(f.detail()), n-1)
	if f.cursor < f.top {
		f.top = f.cursor
	}
	if f.cursor+d >= f.top+n {
		f.top = f.cursor + d - n + 1
	}
	f.top = max(0, min(f.top, f.rows()+d-n))
	return f
}

// moveTo puts the cursor on row i.
func (f feedsModel) moveTo(i int) feedsModel {
	f.cursor = max(0, min(i, f.rows()-1))
	return f.scrollToCursor()
}

// update handles keys; the root delivers the overview itself.
func (f feedsModel) update(msg tea.Msg, k *keyMap) (feedsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			return f.moveTo(f.cursor + 3), nil
		case tea.MouseWheelUp:
			return f.moveTo(f.cursor - 3), nil
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Down):
			return f.moveTo(f.cursor + 1), nil
		case key.Matches(msg, k.Up):
			return f.moveTo(f.cursor - 1), nil
		case key.Matches(msg, k.PageDown):
			return f.moveTo(f.cursor + f.area()), nil
		case key.Matches(msg, k.PageUp):
			return f.moveTo(f.cursor - f.area()), nil
		case key.Matches(msg, k.Top):
			return f.moveTo(0), nil
		case key.Matches(msg, k.Bottom):
			return f.moveTo(f.rows() - 1), nil
		case key.Matches(msg, k.NextUnread, k.PrevUnread):
			return f.stepUnread(key.Matches(msg, k.PrevUnread))
		case key.Matches(msg, k.Open):
			if f.loaded {
				f.out = showFeedMsg{feed: f.selectedURL()}
			}
		case key.Matches(msg, k.Back):
			f.out = backMsg{}
		}
	}
	return f, nil
}

// stepUnread moves to the next (or previous) feed with unread articles.
func (f feedsModel) stepUnread(backward bool) (feedsModel, tea.Cmd) {
	d := 1
	if backward {
		d = -1
	}
	for i := f.cursor + d; i >= 1 && i <= len(f.ov.Feeds); i += d {
		if f.ov.Feeds[i-1].Unread > 0 {
			return f.moveTo(i), nil
		}
	}
	return f, statusCmd("no other feed with unread articles")
}

// feedTitle is how kiosk names a feed: its name in the config (which the
// source gives as its title), else its host.
func feedTitle(fi cache.FeedInfo) string {
	if t := fetch.CleanLine(fi.Title); t != "" {
		return t
	}
	return hostName(fi.URL)
}

// hostName is the host of a URL without www., or the cleaned URL.
func hostName(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return fetch.CleanLine(raw)
}

// view draws the bar, the rows and the selected feed's error.
func (f feedsModel) view(st *styles) string {
	var b strings.Builder
	unread, failed := f.ov.Unread, 0
	for _, fi := range f.ov.Feeds {
		if fi.LastError != "" {
			failed++
		}
	}
	right := ""
	if f.loaded {
		right = fmt.Sprintf("%d unread · %d feeds ", unread, len(f.ov.Feeds))
		if failed > 0 {
			right = fmt.Sprintf("%d unread · %d feeds, %d failed ", unread, len(f.ov.Feeds), failed)
		}
	}
	b.WriteString(barLine(st, " kiosk · feeds", right, f.width))
	if !f.loaded {
		b.WriteString("\n" + st.Dim.Render(ansi.Truncate("  loading feeds…", f.width, "")))
		return b.String()
	}
	countW := 0
	count := func(i int) string {
		if i == 0 {
			return fmt.Sprintf("%d/%d", f.ov.Unread, f.ov.Total)
		}
		fi := f.ov.Feeds[i-1]
		return fmt.Sprintf("%d/%d", fi.Unread, fi.Total)
	}
	for i := range f.rows() {
		countW = max(countW, len(count(i)))
	}
	lines := 0
	for i := f.top; i < f.rows() && lines < f.area(); i++ {
		b.WriteByte('\n')
		b.WriteString(f.rowView(st, i, count(i), countW))
		lines++
		if i != f.cursor {
			continue
		}
		for _, d := range f.detail() {
			if lines >= f.area() {
				break
			}
			b.WriteByte('\n')
			b.WriteString(st.Error.Render(ansi.Truncate("     "+d, f.width, "")))
			lines++
		}
	}
	if len(f.ov.Feeds) == 0 && lines < f.area() {
		b.WriteString("\n" + st.Dim.Render(ansi.Truncate("  no feeds yet: press R to sync", f.width, "")))
	}
	return b.String()
}

// rowView draws one row: marker, name, a failure note and the counts
// (unread/total) on the right.
func (f feedsModel) rowView(st *styles, i int, count string, countW int) string {
	name, mark, note := "all feeds", " ", ""
	unread := f.ov.Unread
	if i > 0 {
		fi := f.ov.Feeds[i-1]
		name, unread = feedTitle(fi), fi.Unread
		if c := fetch.CleanLine(fi.Category); c != "" {
			name = c + " › " + name // a feed server's folder
		}
		switch {
		case fi.LastError != "":
			mark, note = "!", "failed: "+fetch.CleanLine(fi.LastError)
		case fi.LastFetch.IsZero() && fi.Total == 0:
			note = "not synced yet"
		}
	}
	if mark == " " && unread > 0 {
		mark = "●"
	}
	count = strings.Repeat(" ", countW-len(count)) + count
	avail := max(0, f.width-4-countW-2) // " m  " before, "  " before the counts
	nameW := min(ansi.StringWidth(name), avail)
	name = ansi.Truncate(name, nameW, "…")
	if note != "" && avail-nameW > 8 {
		note = ansi.Truncate("  "+note, avail-nameW, "…")
	} else {
		note = ""
	}
	gap := strings.Repeat(" ", max(0, avail-ansi.StringWidth(name)-ansi.StringWidth(note)))
	if i == f.cursor {
		return st.rows.selected.wrap(padRight(ansi.Truncate(" "+mark+"  "+name+note+gap+"  "+count, f.width, ""), f.width))
	}
	var b strings.Builder
	b.WriteByte(' ')
	switch mark {
	case "!":
		b.WriteString(st.Error.Render(mark))
	case "●":
		b.WriteString(st.rows.unreadMark)
	default:
		b.WriteByte(' ')
	}
	b.WriteString("  ")
	if unread > 0 {
		b.WriteString(st.rows.unread.wrap(name))
	} else {
		b.WriteString(st.rows.item.wrap(name))
	}
	if strings.HasPrefix(note, "  failed") {
		b.WriteString(st.Error.Render(note))
	} else {
		b.WriteString(st.rows.dim.wrap(note))
	}
	b.WriteString(gap + "  " + st.rows.dim.wrap(count))
	return ansi.Truncate(b.String(), f.width, "")
}
