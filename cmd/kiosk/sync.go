package main

import "context"

// cmdSync runs "kiosk sync".
func cmdSync(ctx context.Context, e *env, args []string) error {
	return notImplemented("sync")
}
