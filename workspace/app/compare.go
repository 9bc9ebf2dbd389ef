package app

import "github.com/perchdata/perch/workspace/compare"

// same reports whether a local and a remote definition deploy the same
// thing, with the comparison engine drift and the planner use
// (compare.Equal): the server's rewriting is no difference, and what the
// server does not keep (descriptions, tokens, a pipe's nodes) counts only
// when remote is the deployed datafile.
func same(local, remote any, database string, deployed bool) bool {
	return compare.Equal(local, remote, database, deployed)
}
