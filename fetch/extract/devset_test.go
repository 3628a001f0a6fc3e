package extract

import (
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/extract/eval"
)

// evaluateCorpus scores every page of a development corpus in testdata,
// on all cores.
func evaluateCorpus(t *testing.T, dir string) ([]eval.Page, []eval.Score) {
	t.Helper()
	pages, err := eval.Load(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	scores := make([]eval.Score, len(pages))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				scores[i] = eval.Evaluate(pages[i], Article)
			}
		})
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()
	return pages, scores
}

// devFloors are the figures a development corpus must keep, set from the
// measured scores (go run ./scripts/extract-eval -corpus
// fetch/extract/testdata/DIR) with a small margin.
type devFloors struct {
	pages                  int
	f1, precision, recall  float64
	titles, authors        int     // pages exactly right, at least
	leadCaptions, captions float64 // shares kept as captions, at least
	leadCredits, credits   float64 // shares of credits split from the caption, at least
	englishLabelsOnGerman  int     // at most
}

func checkFloors(t *testing.T, sum eval.Summary, f devFloors) {
	t.Helper()
	if sum.Pages != f.pages || sum.Failed > 0 {
		t.Errorf("%s: %d pages, %d failed; want %d, none failed", sum.Kind, sum.Pages, sum.Failed, f.pages)
	}
	share := func(k, n int) float64 {
		if n == 0 {
			return 1
		}
		return float64(k) / float64(n)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean F1", sum.F1, f.f1},
		{"mean precision", sum.P, f.precision},
		{"mean recall", sum.R, f.recall},
		{"titles exact", float64(sum.TitleOK), float64(f.titles)},
		{"authors exact", float64(sum.AuthorsOK), float64(f.authors)},
		{"lead captions kept", share(sum.LeadKept, sum.LeadCaptions), f.leadCaptions},
		{"lead credits split", share(sum.LeadCreditOK, sum.LeadCredits), f.leadCredits},
		{"inline captions kept", share(sum.CaptionsKept, sum.Captions), f.captions},
		{"inline credits split", share(sum.CreditsSplit, sum.Credits), f.credits},
	} {
		if c.got < c.want {
			t.Errorf("%s: %s = %.3f, below the floor %.3f", sum.Kind, c.name, c.got, c.want)
		}
	}
	if sum.EnglishLabels > f.englishLabelsOnGerman {
		t.Errorf("%s: %d German pages show English labels, want at most %d", sum.Kind, sum.EnglishLabels, f.englishLabelsOnGerman)
	}
}

// TestDevSetNewsDE holds extraction of the German news development set
// (48 pages of 31 publishers, fundus expectations) to its scores.
func TestDevSetNewsDE(t *testing.T) {
	pages, scores := evaluateCorpus(t, "news-de")
	sum := eval.Summarize(eval.KindNews, scores, pages)
	checkFloors(t, sum, devFloors{
		pages: 48, f1: 0.968, precision: 0.95, recall: 0.988,
		titles: 46, authors: 44, leadCaptions: 0.96, leadCredits: 0.96, captions: 0.95, credits: 0.95,
	})
	if t.Failed() {
		eval.WriteWorst(t.Output(), scores, 5)
	}
}

// TestDevSetReadability holds extraction of go-readability's 134 test
// pages to their scores (the lead is expected to be readability's excerpt
// when that is not the body's first paragraph; see package eval).
func TestDevSetReadability(t *testing.T) {
	pages, scores := evaluateCorpus(t, "readability")
	sum := eval.Summarize(eval.KindReadability, scores, pages)
	checkFloors(t, sum, devFloors{
		pages: 134, f1: 0.993, precision: 0.994, recall: 0.99,
		titles: 134, authors: 108,
	})
	if t.Failed() {
		eval.WriteWorst(t.Output(), scores, 5)
	}
}
