package eval

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// Summary holds the figures of a set of pages of one kind.
type Summary struct {
	Kind                      string
	Pages, Failed             int
	P, R, F1                  float64 // means over the pages
	TitleOK, AuthorsOK        int
	LeadCaptions, LeadKept    int // pages whose lead picture has a caption; kept as caption
	LeadCredits, LeadCreditOK int
	Captions, CaptionsKept    int
	Credits, CreditsSplit     int // inline pictures' credits; split from the caption
	German, EnglishLabels     int // German pages; those showing English labels
	Bytes                     int
	Total, Median             time.Duration // extraction + Markdown
}

// Summarize computes the summary of the scores of one kind.
func Summarize(kind string, scores []Score, pages []Page) Summary {
	sum := Summary{Kind: kind}
	var durs []time.Duration
	for i, s := range scores {
		if s.Kind != kind {
			continue
		}
		sum.Pages++
		sum.Bytes += len(pages[i].HTML)
		if s.Err != nil {
			sum.Failed++
		}
		sum.P += s.P
		sum.R += s.R
		sum.F1 += s.F1
		if s.TitleOK {
			sum.TitleOK++
		}
		if s.AuthorsOK {
			sum.AuthorsOK++
		}
		if s.LeadCaption != 0 {
			sum.LeadCaptions++
			if s.LeadCaption > 0 {
				sum.LeadKept++
			}
		}
		if s.LeadCredit != 0 {
			sum.LeadCredits++
			if s.LeadCredit > 0 {
				sum.LeadCreditOK++
			}
		}
		sum.Captions += s.Captions
		sum.CaptionsKept += s.CaptionsKept
		sum.Credits += s.Credits
		sum.CreditsSplit += s.CreditsSplit
		if s.German {
			sum.German++
			if len(s.EnglishLabels) > 0 {
				sum.EnglishLabels++
			}
		}
		sum.Total += s.Dur
		durs = append(durs, s.Dur)
	}
	if sum.Pages > 0 {
		n := float64(sum.Pages)
		sum.P, sum.R, sum.F1 = sum.P/n, sum.R/n, sum.F1/n
		slices.Sort(durs)
		sum.Median = durs[len(durs)/2]
	}
	return sum
}

// pct formats k of n as a percentage.
func pct(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%.0f%%)", k, n, 100*float64(k)/float64(n))
}

// Write prints the summary.
func (sum Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "%s: %d pages (%d failed)\n", sum.Kind, sum.Pages, sum.Failed)
	fmt.Fprintf(w, "  text       P %.3f  R %.3f  F1 %.3f (means)\n", sum.P, sum.R, sum.F1)
	fmt.Fprintf(w, "  title      exact %s\n", pct(sum.TitleOK, sum.Pages))
	fmt.Fprintf(w, "  authors    exact %s\n", pct(sum.AuthorsOK, sum.Pages))
	if sum.LeadCaptions > 0 || sum.Captions > 0 {
		fmt.Fprintf(w, "  lead pic   caption kept %s, credit split %s\n", pct(sum.LeadKept, sum.LeadCaptions), pct(sum.LeadCreditOK, sum.LeadCredits))
		fmt.Fprintf(w, "  inline     captions kept %s, credit split %s\n", pct(sum.CaptionsKept, sum.Captions), pct(sum.CreditsSplit, sum.Credits))
	}
	if sum.German > 0 {
		fmt.Fprintf(w, "  labels     German pages with English labels: %s\n", pct(sum.EnglishLabels, sum.German))
	}
	if sum.Total > 0 {
		fmt.Fprintf(w, "  speed      %.1f pages/s, %.1f MB/s of HTML, median %.1f ms per page (extract + Markdown, one core)\n",
			float64(sum.Pages)/sum.Total.Seconds(), float64(sum.Bytes)/1e6/sum.Total.Seconds(), float64(sum.Median.Microseconds())/1000)
	}
}

// WritePages prints one line per page.
func WritePages(w io.Writer, scores []Score) {
	for _, s := range scores {
		flags := ""
		if !s.TitleOK {
			flags += " title"
		}
		if !s.AuthorsOK {
			flags += " authors"
		}
		if s.LeadCaption < 0 {
			flags += " leadcap"
		}
		if s.Captions > s.CaptionsKept {
			flags += fmt.Sprintf(" captions%d/%d", s.CaptionsKept, s.Captions)
		}
		if len(s.EnglishLabels) > 0 {
			flags += " english"
		}
		if s.Err != nil {
			flags += " ERROR"
		}
		fmt.Fprintf(w, "%-52s P %.3f R %.3f F1 %.3f %5.1f ms%s\n", s.Page, s.P, s.R, s.F1, float64(s.Dur.Microseconds())/1000, flags)
	}
}

// WriteWorst prints the n pages of the lowest F1 with what went wrong:
// the words lost and added, title and authors when they differ.
func WriteWorst(w io.Writer, scores []Score, n int) {
	sorted := slices.Clone(scores)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].F1 < sorted[j].F1 })
	for _, s := range sorted[:min(n, len(sorted))] {
		fmt.Fprintf(w, "%s  F1 %.3f (P %.3f R %.3f)\n", s.Page, s.F1, s.P, s.R)
		if s.Err != nil {
			fmt.Fprintf(w, "    error: %v\n", s.Err)
		}
		if len(s.Missing) > 0 {
			fmt.Fprintf(w, "    lost:  %s\n", strings.Join(s.Missing, " "))
		}
		if len(s.Extra) > 0 {
			fmt.Fprintf(w, "    added: %s\n", strings.Join(s.Extra, " "))
		}
	}
}

// WriteMisses prints the pages whose title or authors are wrong, or whose
// lead caption is lost, with what kiosk found.
func WriteMisses(w io.Writer, scores []Score) {
	for _, s := range scores {
		if !s.TitleOK {
			fmt.Fprintf(w, "%s  title %q, want %q\n", s.Page, s.Title, s.WantTitle)
		}
	}
	for _, s := range scores {
		if !s.AuthorsOK && (s.Kind == KindNews || len(s.WantAuth) > 0) {
			fmt.Fprintf(w, "%s  authors %q, want %q\n", s.Page, s.Authors, s.WantAuth)
		}
	}
	for _, s := range scores {
		if s.LeadCaption < 0 {
			fmt.Fprintf(w, "%s  lead caption lost\n", s.Page)
		}
		if len(s.EnglishLabels) > 0 {
			fmt.Fprintf(w, "%s  English labels %q\n", s.Page, s.EnglishLabels)
		}
	}
}

// WriteFigureMisses prints, page by page, the expected captions and
// credits that were not kept, with the figures kiosk made.
func WriteFigureMisses(w io.Writer, scores []Score) {
	for _, s := range scores {
		if len(s.FigureMisses) == 0 {
			continue
		}
		fmt.Fprintln(w, s.Page)
		for _, m := range s.FigureMisses {
			fmt.Fprintf(w, "    %s\n", m)
		}
	}
}
