// Command miniflux starts a throw-away Miniflux on PostgreSQL (the one the
// server-sync tests use, see fetch/remote/remotetest), prints its URL and
// credentials, and stops and removes it on Ctrl-C or SIGTERM:
//
//	KIOSK_MINIFLUX=$(go env GOPATH)/bin/miniflux.app go run ./scripts/miniflux
//
// With -env FILE it also writes, once the server answers, the shell
// assignments that make the tests use it (.ci/run does this).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kiosk-reader/kiosk/fetch/remote/remotetest"
)

func main() {
	envFile := flag.String("env", "", "write KIOSK_MINIFLUX_URL and KIOSK_MINIFLUX_PGPORT assignments to this `file` once the server answers")
	flag.Parse()
	s, err := remotetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "miniflux:", err)
		os.Exit(1)
	}
	fmt.Printf("miniflux at %s\nREST API: user %s, password %s\nGoogle Reader API: user %s, password %s\ndatabase: %s\n",
		s.URL, remotetest.AdminUser, remotetest.AdminPassword, remotetest.AdminUser, remotetest.GReaderPassword, s.DBURL)
	if *envFile != "" {
		env := fmt.Sprintf("export KIOSK_MINIFLUX_URL=%s KIOSK_MINIFLUX_PGPORT=%d\n", s.URL, s.PGPort())
		if err := os.WriteFile(*envFile, []byte(env), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "miniflux:", err)
			_ = s.Stop()
			os.Exit(1)
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "miniflux: stop:", err)
		os.Exit(1)
	}
}
