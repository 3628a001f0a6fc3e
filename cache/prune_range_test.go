package cache_test

import (
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
)

// A keep_days reaching back before 1678 (about 127,700 days) used to wrap
// the cutoff's Unix nanoseconds round into the future and prune every
// unstarred entry.
func TestPruneHugeKeepDaysKeepsAll(t *testing.T) {
	now := t0
	old := now.AddDate(-101, 0, 0)
	for _, days := range []int{36500, 106752, 127700, 999999, 1 << 20, math.MaxInt} {
		t.Run(strconv.Itoa(days), func(t *testing.T) {
			s, _ := openTemp(t)
			saveFeed(t, s, heiseFeed, "heise online", old, entry("9001", "uralt", old))
			saveFeed(t, s, tpFeed, "Telepolis", now, entry("9002", "neu", now))
			want := []string{"9002", "9001"}
			wantN := 0
			if days == 36500 { // 100 years: the 101-year-old entry goes
				want, wantN = []string{"9002"}, 1
			}
			n, err := s.Prune(t.Context(), days, now)
			if err != nil || n != wantN {
				t.Fatalf("Prune(%d days) = %d, %v; want %d", days, n, err, wantN)
			}
			if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, want) {
				t.Errorf("after Prune(%d days): List = %v, want %v", days, got, want)
			}
		})
	}
}
