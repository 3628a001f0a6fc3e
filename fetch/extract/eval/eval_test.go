package eval

import (
	"slices"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/article"
)

func TestTokens(t *testing.T) {
	got := tokens("Die „Straße“ [3], 2024 – 東京タワー!")
	want := []string{"die", "straße", "3", "2024", "東", "京", "タ", "ワ", "ー"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
}

func TestCompareWords(t *testing.T) {
	p, r, f1, missing, extra := compareWords(tokens("eins zwei zwei drei noise"), tokens("eins zwei zwei drei vier"))
	if p != 0.8 || r != 0.8 || f1 < 0.799 || f1 > 0.801 {
		t.Errorf("P, R, F1 = %v, %v, %v; want 0.8 each", p, r, f1)
	}
	if !slices.Equal(missing, []string{"vier"}) || !slices.Equal(extra, []string{"noise"}) {
		t.Errorf("missing %q, extra %q", missing, extra)
	}
}

func TestVersionLess(t *testing.T) {
	keys := []string{"V2", "V10", "V1_2", "V1", "V1_1", "V2_1"}
	slices.SortFunc(keys, func(a, b string) int {
		if versionLess(a, b) {
			return -1
		}
		if versionLess(b, a) {
			return 1
		}
		return 0
	})
	if want := []string{"V1", "V1_1", "V1_2", "V2", "V2_1", "V10"}; !slices.Equal(keys, want) {
		t.Errorf("sorted = %q, want %q", keys, want)
	}
}

func TestEvaluate(t *testing.T) {
	page := Page{Name: "p", Kind: KindNews, Want: Expected{
		Title: "Ein Titel", Authors: []string{"Anna Muster"}, Lead: []string{"Der Vorspann."},
		Body: []string{"Erster Absatz hier.", "Zweiter Absatz."}, Lang: "de",
		Images: []Image{{Caption: "Ein Bild vom Ort", Credit: "dpa", Cover: true}, {Caption: "Noch eins"}},
	}}
	good := func(string, []byte) (article.Article, error) {
		return article.Article{Title: "Ein Titel", Authors: []string{"Anna Muster"}, Lead: "Der Vorspann.", Lang: "de",
			Hero: &article.Figure{Image: "https://x/a.jpg", Caption: "Ein Bild vom Ort", Credit: "dpa"},
			Body: "Erster Absatz hier [1].\n\n**Bild** [2]: *Noch eins*\n\nZweiter Absatz.", Figures: []article.Figure{{Image: "https://x/b.jpg", Caption: "Noch eins"}}}, nil
	}
	s := Evaluate(page, good)
	if s.F1 != 1 || !s.TitleOK || !s.AuthorsOK || s.LeadCaption != 1 || s.LeadCredit != 1 || s.CaptionsKept != 1 || len(s.EnglishLabels) != 0 {
		t.Errorf("good extraction scored %+v", s)
	}
	bad := func(string, []byte) (article.Article, error) {
		return article.Article{Title: "Ein Titel | Site", Authors: []string{"Von: Anna Muster"}, Lang: "en",
			Hero: &article.Figure{Image: "https://x/a.jpg"}, Body: "Erster Absatz hier. Ein Bild vom Ort Foto: dpa\n\nCookies akzeptieren."}, nil
	}
	s = Evaluate(page, bad)
	if s.F1 >= 0.8 || s.TitleOK || s.AuthorsOK || s.LeadCaption != -1 || s.CaptionsKept != 0 || len(s.EnglishLabels) == 0 {
		t.Errorf("bad extraction scored %+v", s)
	}
}

func TestExcerptOwn(t *testing.T) {
	body := []string{"Der erste Absatz des Artikels, mit dem er beginnt.", "Der zweite."}
	for _, c := range []struct {
		excerpt string
		want    bool
	}{
		{"Eine Beschreibung der Seite, die nirgends im Text steht.", true},
		{"Der erste Absatz des Artikels, mit dem er beginnt.", false}, // readability took the first paragraph
		{"Der erste Absatz des Artikels …", false},
		{"", false},
	} {
		if got := excerptOwn(c.excerpt, body); got != c.want {
			t.Errorf("excerptOwn(%q) = %v, want %v", c.excerpt, got, c.want)
		}
	}
}

func TestArticleTextDropsListNumbers(t *testing.T) {
	a := article.Article{Body: "1. one [1]\n2. two\n   3. three\n\n> 4. four\n\n```\n5. code\n```\n\n6\\. Finland"}
	got := tokens(articleText(a, false))
	want := []string{"one", "two", "three", "four", "5", "code", "6", "finland"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
}
