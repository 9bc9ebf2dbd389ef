package app

import "github.com/perchdata/perch/datafiles"

// same reports whether a local and a remote definition deploy the same
// thing. It is the one comparison behind every status and diff the front
// ends show; the shared comparison engine replaces it here.
func same(local, remote any) bool {
	return datafiles.Equal(local, remote)
}
