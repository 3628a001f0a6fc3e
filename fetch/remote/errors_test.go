package remote

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestServerErrorsAreOneLineWithoutSecret: a 5xx, a login answer that
// echoes the form back (the password as typed and URL-encoded) and an
// unreachable server each give one line naming the answer, never the
// password.
func TestServerErrorsAreOneLineWithoutSecret(t *testing.T) {
	const secret = "Very Secret@Pw+1"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		switch {
		case strings.HasSuffix(r.URL.Path, "ClientLogin"):
			form, _ := url.ParseQuery(string(raw))
			http.Error(w, "bad login: "+string(raw)+" password "+form.Get("Passwd"), http.StatusInternalServerError)
		default:
			http.Error(w, "upstream down\nsecond line", http.StatusBadGateway)
		}
	}))
	defer echo.Close()
	for _, form := range []string{secret, url.QueryEscape(secret)} {
		if strings.Contains(form, "  ") {
			t.Fatal("bad test secret")
		}
	}
	cases := []struct {
		kind, url, want string
		auth            bool
	}{
		{KindMiniflux, echo.URL, "server answered HTTP 502: upstream down second line", false},
		{KindGReader, echo.URL, "server answered HTTP 500: bad login: Email=me&Passwd=*** password ***", false},
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
		if !strings.Contains(msg, c.want) || strings.Contains(msg, secret) || strings.Contains(msg, url.QueryEscape(secret)) || strings.Contains(msg, "Secret") || strings.Contains(msg, "\n") || errors.Is(err, ErrAuth) != c.auth {
			t.Errorf("%s %s: %q (ErrAuth %v); want one line with %q, no password", c.kind, c.url, msg, errors.Is(err, ErrAuth), c.want)
		}
	}
	if _, err := New(Config{Kind: KindMiniflux, URL: "https://me:pw@reader.test", Password: secret}); err == nil || strings.Contains(err.Error(), "pw@") {
		t.Errorf("a URL with credentials: %v", err)
	}
}
