// Command miniflux starts a throw-away Miniflux on PostgreSQL (the one the
// server-sync tests use, see fetch/remote/remotetest), prints its URL and
// credentials, and stops and removes it on Ctrl-C:
//
//	KIOSK_MINIFLUX=$(go env GOPATH)/bin/miniflux.app go run ./scripts/miniflux
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kiosk-reader/kiosk/fetch/remote/remotetest"
)

func main() {
	s, err := remotetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "miniflux:", err)
		os.Exit(1)
	}
	fmt.Printf("miniflux at %s\nREST API: user %s, password %s\nGoogle Reader API: user %s, password %s\ndatabase: %s\n",
		s.URL, remotetest.AdminUser, remotetest.AdminPassword, remotetest.AdminUser, remotetest.GReaderPassword, s.DBURL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "miniflux: stop:", err)
		os.Exit(1)
	}
}
