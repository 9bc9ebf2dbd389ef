package engine

// EmbeddedTestFolder is the embedded engine folder of this test process (one per
// process), for the external tests; "" when libchdb is missing, with why.
func EmbeddedTestFolder() (string, error) { return testDir, skipReason }
