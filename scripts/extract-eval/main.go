// Command extract-eval scores kiosk's extraction over a corpus directory
// and prints per-page and mean precision, recall and F1 of the lead and
// body text, title and author exactness, captions kept as captions,
// English labels on German pages, and the worst pages with the words they
// lost and gained. The corpus formats are described in package
// fetch/extract/eval.
//
//	go run ./scripts/extract-eval -corpus fetch/extract/testdata/news-de
//	go run ./scripts/extract-eval -corpus fetch/extract/testdata/readability -worst 5
//
// With -copy-to DIR it copies a corpus into the project's testdata instead:
// gzipped, with the bodies of scripts (except JSON-LD) and style sheets
// emptied, which the scores do not depend on.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kiosk-reader/kiosk/fetch/extract"
	"github.com/kiosk-reader/kiosk/fetch/extract/eval"
)

func main() {
	corpus := flag.String("corpus", "", "corpus `dir` (news pages with <Publisher>.json, or readability test pages)")
	worst := flag.Int("worst", 10, "show the `n` pages of the lowest F1 with reasons")
	pages := flag.Bool("pages", true, "print one line per page")
	misses := flag.Bool("misses", true, "list wrong titles and authors and lost lead captions")
	figures := flag.Bool("figures", false, "list the expected captions and credits that were not kept, with the figures found")
	copyTo := flag.String("copy-to", "", "copy the corpus into `dir` for testdata (gzipped, script and style bodies emptied) instead of scoring it")
	flag.Parse()
	if *corpus == "" {
		fmt.Fprintln(os.Stderr, "extract-eval: -corpus DIR is required")
		os.Exit(2)
	}
	if *copyTo != "" {
		if err := copyTrimmed(*corpus, *copyTo); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval: copy:", err)
			os.Exit(1)
		}
		return
	}
	ps, err := eval.Load(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract-eval:", err)
		os.Exit(1)
	}
	scores := make([]eval.Score, len(ps))
	for i, p := range ps {
		scores[i] = eval.Evaluate(p, extract.Article)
	}
	out := os.Stdout
	if *pages {
		eval.WritePages(out, scores)
		fmt.Fprintln(out)
	}
	if *misses {
		eval.WriteMisses(out, scores)
		fmt.Fprintln(out)
	}
	if *figures {
		eval.WriteFigureMisses(out, scores)
		fmt.Fprintln(out)
	}
	if *worst > 0 {
		fmt.Fprintf(out, "worst %d by F1:\n", *worst)
		eval.WriteWorst(out, scores, *worst)
		fmt.Fprintln(out)
	}
	for _, kind := range []string{eval.KindNews, eval.KindReadability} {
		if s := eval.Summarize(kind, scores, ps); s.Pages > 0 {
			s.Write(out)
		}
	}
}
