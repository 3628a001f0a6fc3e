package cache

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
)

// serverCache is a cache attached to a server, with n entries of one feed
// mapped to the server items "101".."10n", all unread on the server.
func serverCache(t *testing.T, n int) (*Store, []remote.Item) {
	t.Helper()
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	acct := remote.Account{Kind: remote.KindMiniflux, URL: "http://reader.test", User: "me"}
	if err := st.AttachServer(t.Context(), acct); err != nil {
		t.Fatal(err)
	}
	feed := "http://site.test/feed.xml"
	var entries []fetch.Entry
	var items []remote.Item
	for i := 1; i <= n; i++ {
		e := fetch.Entry{ID: fmt.Sprintf("k%d", i), Feed: feed, URL: fmt.Sprintf("http://site.test/%d", i), Title: fmt.Sprintf("Item %d", i), Published: time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC)}
		entries = append(entries, e)
		items = append(items, remote.Item{ID: fmt.Sprintf("10%d", i), Entry: e})
	}
	if _, err := st.SaveFeed(t.Context(), fetch.FeedResult{Feed: fetch.Feed{URL: feed}, Entries: entries, FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyServerItems(t.Context(), items); err != nil {
		t.Fatal(err)
	}
	return st, items
}

func queued(t *testing.T, st *Store) []string {
	t.Helper()
	cs, err := st.PendingChanges(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s=%v", c.ItemID, c.Field, c.Value))
	}
	slices.Sort(out)
	return out
}

// TestServerQueueEveryWritePath: whatever marks an entry (the reader's
// SetRead and SetStarred, mark-all and its undo) queues the change for the
// server in the same transaction, and a change back to the server's state
// leaves nothing to push.
func TestServerQueueEveryWritePath(t *testing.T) {
	st, _ := serverCache(t, 3)
	ctx := t.Context()
	if q := queued(t, st); len(q) != 0 {
		t.Fatalf("fresh cache queued %v", q)
	}
	if err := st.SetRead(ctx, "k1", true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, "k2", true); err != nil {
		t.Fatal(err)
	}
	if q, want := queued(t, st), []string{"101 read=true", "102 starred=true"}; !slices.Equal(q, want) {
		t.Errorf("queued %v, want %v", q, want)
	}
	ids, err := st.MarkQueryRead(ctx, Query{})
	if err != nil || len(ids) != 2 {
		t.Fatalf("mark all read = %v, %v", ids, err)
	}
	if q, want := queued(t, st), []string{"101 read=true", "102 read=true", "102 starred=true", "103 read=true"}; !slices.Equal(q, want) {
		t.Errorf("after mark-all queued %v, want %v", q, want)
	}
	if _, err := st.SetReadIDs(ctx, ids, false); err != nil { // undo
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, "k2", false); err != nil {
		t.Fatal(err)
	}
	if q, want := queued(t, st), []string{"101 read=true"}; !slices.Equal(q, want) {
		t.Errorf("after undo and unstar queued %v, want %v", q, want)
	}
	acct, ok, err := st.ServerAccount(ctx)
	if err != nil || !ok || acct.Pending != 1 || acct.Items != 3 {
		t.Errorf("account = %+v, %v, %v; want 1 pending of 3 items", acct, ok, err)
	}
	// The server took it: nothing left.
	cs, err := st.PendingChanges(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AckChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("after the push queued %v", q)
	}
}

// TestServerStateApplies: the server's changes reach the entries (and the
// unread counts) without being queued back; a cache without a server
// queues nothing.
func TestServerStateApplies(t *testing.T) {
	st, items := serverCache(t, 3)
	ctx := t.Context()
	items[0].Read, items[1].Starred = true, true
	items[0].Changed, items[1].Changed = time.Now(), time.Now()
	n, err := st.ApplyServerItems(ctx, items)
	if err != nil || n.Read != 1 || n.Starred != 1 {
		t.Fatalf("applied %+v, %v", n, err)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("the server's changes were queued back: %v", q)
	}
	ov, err := st.Overview(ctx)
	if err != nil || ov.Unread != 2 || len(ov.Feeds) != 1 || ov.Feeds[0].Unread != 2 {
		t.Errorf("overview = %+v, %v; want 2 unread", ov, err)
	}
	n, err = st.ApplyServerSets(ctx, remote.StateSets{Unread: map[string]bool{"101": true, "102": true}, Starred: map[string]bool{}, UnreadComplete: true, StarredComplete: true})
	if err != nil || n.Unread != 1 || n.Unstarred != 1 || n.Read != 1 {
		t.Errorf("sets applied %+v, %v; want 101 unread, 102 unstarred, 103 read", n, err)
	}
	it, err := st.Item(ctx, "k3")
	if err != nil || !it.Read {
		t.Errorf("k3 = %+v, %v; want read", it, err)
	}

	plain, err := Open(ctx, filepath.Join(t.TempDir(), "plain.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, ok, err := plain.ServerAccount(ctx); ok || err != nil {
		t.Errorf("a cache without a server has an account: %v, %v", ok, err)
	}
}

// TestServerPrunedItemsStayKnown: keep_days removes a server entry; the
// server item stays known (not cached), so a sync does not store it again.
func TestServerPrunedItemsStayKnown(t *testing.T) {
	st, _ := serverCache(t, 2)
	ctx := t.Context()
	if err := st.SetStarred(ctx, "k2", true); err != nil {
		t.Fatal(err)
	}
	n, err := st.Prune(ctx, 7, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want the unstarred entry", n, err)
	}
	known, err := st.KnownServerItems(ctx, []string{"101", "102", "999"})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := known["101"]; !ok || c {
		t.Errorf("pruned item 101: known %v, cached %v; want known, not cached", ok, c)
	}
	if c, ok := known["102"]; !ok || !c {
		t.Errorf("starred item 102: known %v, cached %v", ok, c)
	}
	if _, ok := known["999"]; ok {
		t.Error("an item never seen is known")
	}
	if acct, _, err := st.ServerAccount(ctx); err != nil || acct.Items != 1 {
		t.Errorf("account counts %d cached server entries, %v; want the 1 left", acct.Items, err)
	}
	if _, err := st.ApplyServerSets(ctx, remote.StateSets{Unread: map[string]bool{}, Starred: map[string]bool{"102": true}, UnreadComplete: true, StarredComplete: true}); err != nil {
		t.Errorf("applying state with a pruned item: %v", err)
	}
}

// TestServerIncompleteSets: an item missing from a list that took several
// pages keeps its state; an item in it still counts.
func TestServerIncompleteSets(t *testing.T) {
	st, items := serverCache(t, 2)
	ctx := t.Context()
	items[0].Read, items[0].Changed = true, time.Now()
	if _, err := st.ApplyServerItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	// 101 (read) is in the unread list: unread now. 102 (unread) is
	// missing from the incomplete list: it stays unread.
	n, err := st.ApplyServerSets(ctx, remote.StateSets{Unread: map[string]bool{"101": true}, Starred: map[string]bool{}, StarredComplete: true})
	if err != nil || n.Unread != 1 || n.Read != 0 {
		t.Errorf("applied %+v, %v; want 101 unread and 102 left alone", n, err)
	}
	for _, id := range []string{"k1", "k2"} {
		if it, err := st.Item(ctx, id); err != nil || it.Read {
			t.Errorf("%s: read %v, %v; want unread", id, it.Read, err)
		}
	}
}

// TestServerSharedEntry: an entry that two server items share (two
// subscriptions list it) is pushed to both, even when the server takes
// the first one alone.
func TestServerSharedEntry(t *testing.T) {
	st, items := serverCache(t, 1)
	ctx := t.Context()
	twin := items[0]
	twin.ID = "201"
	if _, err := st.ApplyServerItems(ctx, []remote.Item{twin}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, "k1", true); err != nil {
		t.Fatal(err)
	}
	if q, want := queued(t, st), []string{"101 read=true", "201 read=true"}; !slices.Equal(q, want) {
		t.Fatalf("queued %v, want %v", q, want)
	}
	cs, err := st.PendingChanges(ctx, 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("first change: %v, %v", cs, err)
	}
	if err := st.AckChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if q := queued(t, st); len(q) != 1 || q[0] == fmt.Sprintf("%s read=true", cs[0].ItemID) {
		t.Errorf("after the first push queued %v, want the other item", q)
	}
}

// TestServerOtherFieldChangeKeepsLocal: Miniflux's change time is the
// entry's; a star made on the server after kiosk's read does not undo the
// read, which is still pushed.
func TestServerOtherFieldChangeKeepsLocal(t *testing.T) {
	st, items := serverCache(t, 1)
	ctx := t.Context()
	if err := st.SetRead(ctx, "k1", true); err != nil {
		t.Fatal(err)
	}
	items[0].Starred, items[0].Changed = true, time.Now().Add(time.Minute)
	n, err := st.ApplyServerItems(ctx, items)
	if err != nil || n.Starred != 1 || n.Unread != 0 {
		t.Fatalf("applied %+v, %v; want the star only", n, err)
	}
	it, err := st.Item(ctx, "k1")
	if err != nil || !it.Read || !it.Starred {
		t.Errorf("k1: read %v starred %v, %v; want both", it.Read, it.Starred, err)
	}
	if q, want := queued(t, st), []string{"101 read=true"}; !slices.Equal(q, want) {
		t.Errorf("queued %v, want %v", q, want)
	}
}
