package remote

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServerErrorsAreOneLineWithoutSecret: a 5xx, a refused login and an
// unreachable server each give one line that names the server's answer
// and never the password, even when the server echoes it back.
func TestServerErrorsAreOneLineWithoutSecret(t *testing.T) {
	const secret = "Very-Secret-Pw"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		switch {
		case strings.HasSuffix(r.URL.Path, "ClientLogin"):
			http.Error(w, "bad login for password "+r.PostForm.Get("Passwd"), http.StatusForbidden)
		default:
			http.Error(w, "upstream down\nsecond line", http.StatusBadGateway)
		}
	}))
	defer echo.Close()
	cases := []struct {
		kind, url, want string
		auth            bool
	}{
		{KindMiniflux, echo.URL, "server answered HTTP 502: upstream down second line", false},
		{KindGReader, echo.URL, "the server refused the login", true},
		{KindMiniflux, "http://127.0.0.1:1", "connect", false},
	}
	for _, c := range cases {
		cl, err := New(Config{Kind: c.kind, URL: c.url, User: "me", Password: secret})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Subscriptions(t.Context())
		if err == nil {
			t.Fatalf("%s %s: no error", c.kind, c.url)
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || strings.Contains(msg, secret) || strings.Contains(msg, "\n") || errors.Is(err, ErrAuth) != c.auth {
			t.Errorf("%s %s: %q (ErrAuth %v); want one line with %q, no password", c.kind, c.url, msg, errors.Is(err, ErrAuth), c.want)
		}
	}
	if _, err := New(Config{Kind: KindMiniflux, URL: "https://me:pw@reader.test", Password: secret}); err == nil || strings.Contains(err.Error(), "pw@") {
		t.Errorf("a URL with credentials: %v", err)
	}
}
