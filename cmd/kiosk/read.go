package main

import "context"

// cmdRead runs "kiosk read".
func cmdRead(ctx context.Context, e *env, args []string) error {
	return notImplemented("read")
}
