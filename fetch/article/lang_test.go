package article

import "testing"

func TestTextLang(t *testing.T) {
	cases := []struct {
		texts []string
		want  string
	}{
		{[]string{"Regisseur der Olympischen Spiele belästigt", "Frankreich greift nach Beschimpfungen durch und die Polizei ist im Einsatz."}, "de"},
		{[]string{"Ein Artikel, dessen Seite fehlt", "Nur dieser Anreißer ist zu haben: die Seite antwortet mit 404."}, "de"},
		{[]string{"Why my backups failed silently for a year", "The cron job ran, and nobody read the mail that it sent to root."}, "en"},
		{[]string{"Kubernetes 1.31", "Release notes"}, ""},
	}
	for _, c := range cases {
		if got := TextLang(c.texts...); got != c.want {
			t.Errorf("TextLang(%q) = %q, want %q", c.texts, got, c.want)
		}
	}
}
