package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Staying fresh: a background sync every Options.RefreshInterval, and a
// cheap poll every Options.WatchInterval that notices when another process
// (a cron kiosk sync) has changed the cache and reloads the visible list.

// changeWatcher is a Source that can tell whether the cache has changed
// since it last asked, as cache.Store's Changed does (SQLite's
// data_version). Sources without it are not watched.
type changeWatcher interface {
	Changed(ctx context.Context) (uint64, error)
}

// watchState is what the poll knows of the cache.
type watchState struct {
	known   bool
	version uint64
}

type (
	// watchTickMsg asks for one poll of the cache's change counter.
	watchTickMsg struct{}
	// changesCheckedMsg is the cache's change counter. With rebase it only
	// records the counter: the change is the reader's own.
	changesCheckedMsg struct {
		version uint64
		rebase  bool
		err     error
	}
	// refreshTickMsg asks for the periodic background sync.
	refreshTickMsg struct{}
)

// pollTimeout bounds one poll; it normally takes microseconds.
const pollTimeout = 2 * time.Second

// watchTickCmd waits d, then asks for a poll; nil when d is 0.
func watchTickCmd(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return watchTickMsg{} })
}

// refreshTickCmd waits d, then asks for a sync; nil when d is 0.
func refreshTickCmd(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// checkChangesCmd reads the cache's change counter.
func checkChangesCmd(be backend, w changeWatcher, rebase bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, pollTimeout)
		defer cancel()
		v, err := w.Changed(ctx)
		if err != nil {
			err = fmt.Errorf("watch the cache for changes: %w", err)
		}
		return changesCheckedMsg{version: v, rebase: rebase, err: err}
	}
}

// watcher is the source as a changeWatcher, when it is one.
func (m Model) watcher() (changeWatcher, bool) {
	w, ok := m.be.src.(changeWatcher)
	return w, ok
}

// freshInit returns the commands that start the watch and the refresh
// timer: a first read of the counter right away, as the baseline.
func (m Model) freshInit() tea.Cmd {
	var cmds []tea.Cmd
	if w, ok := m.watcher(); ok && m.opts.WatchInterval > 0 {
		cmds = append(cmds, checkChangesCmd(m.be, w, true), watchTickCmd(m.opts.WatchInterval))
	}
	if !m.opts.Offline {
		cmds = append(cmds, refreshTickCmd(m.opts.RefreshInterval))
	}
	return tea.Batch(cmds...)
}

// rebaseCmd records the counter after the reader's own write, so that the
// next poll does not reload the list for it.
func (m Model) rebaseCmd() tea.Cmd {
	if w, ok := m.watcher(); ok {
		return checkChangesCmd(m.be, w, true)
	}
	return nil
}

// updateFresh handles the messages of the watch and the refresh timer.
func (m Model) updateFresh(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case watchTickMsg:
		if w, ok := m.watcher(); ok {
			return m, checkChangesCmd(m.be, w, false)
		}
	case changesCheckedMsg:
		var next tea.Cmd
		if !msg.rebase {
			next = watchTickCmd(m.opts.WatchInterval) // one chain of ticks only
		}
		if msg.err != nil {
			m.watch.known = false // a new connection's counter starts afresh
			m.err = msg.err
			return m, next
		}
		changed := m.watch.known && msg.version != m.watch.version
		m.watch = watchState{known: true, version: msg.version}
		if !changed || msg.rebase || m.sync.running {
			return m, next // a running sync of our own rereads the list itself
		}
		var reload, article tea.Cmd
		m.list, reload = m.list.reloadKeepingCursor()
		m.reader, article = m.reader.fullTextFetched("") // the other sync may have fetched it
		return m, tea.Batch(next, reload, article)
	case refreshTickMsg:
		next := refreshTickCmd(m.opts.RefreshInterval)
		if m.sync.running || m.opts.Offline {
			return m, next
		}
		nm, cmd := m.startSync(nil)
		return nm, tea.Batch(next, cmd)
	}
	return m, nil
}

// reloadKeepingCursor rereads the window around the cursor and the count,
// and keeps the cursor on the same article even when new ones arrived
// above it (unlike refresh, which keeps a cursor at the top on the newest).
func (l listModel) reloadKeepingCursor() (listModel, tea.Cmd) {
	l.gen++
	anchor := ""
	if it, ok := l.selected(); ok {
		anchor = it.ID
	}
	cmd := l.readPage(max(0, l.cursor-pageSize/2), anchor)
	return l, tea.Batch(cmd, countCmd(l.be, l.gen, l.q), loadFeedsCmd(l.be))
}
