package datafiles

import "strings"

// clickhouseEngines are the table engines of ClickHouse (the MergeTree
// family with its Replicated and Shared variants, the Log family, the
// special and the integration engines). An ENGINE outside this list cannot
// be created on any server.
var clickhouseEngines = func() map[string]string {
	names := []string{
		"MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree",
		"CollapsingMergeTree", "VersionedCollapsingMergeTree", "GraphiteMergeTree", "CoalescingMergeTree",
		"TinyLog", "StripeLog", "Log",
		"Distributed", "Dictionary", "Merge", "File", "Null", "Set", "Join", "URL", "View",
		"MaterializedView", "Memory", "Buffer", "GenerateRandom", "KeeperMap", "FileLog", "TimeSeries", "Loop",
		"ODBC", "JDBC", "MySQL", "MongoDB", "Redis", "HDFS", "S3", "S3Queue", "AzureBlobStorage", "AzureQueue",
		"Kafka", "RabbitMQ", "NATS", "PostgreSQL", "MaterializedPostgreSQL", "EmbeddedRocksDB", "SQLite",
		"Hive", "DeltaLake", "Hudi", "Iceberg", "IcebergS3", "IcebergAzure", "IcebergHDFS", "IcebergLocal",
		"ExternalDistributed", "ArrowFlight", "YTsaurus", "Executable", "ExecutablePool",
	}
	m := make(map[string]string, 3*len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = n
		if strings.HasSuffix(n, "MergeTree") {
			m[strings.ToLower("Replicated"+n)] = "Replicated" + n
			m[strings.ToLower("Shared"+n)] = "Shared" + n
		}
	}
	return m
}()

// isClickHouseEngine reports whether name (case-insensitive, arguments
// allowed) is a ClickHouse table engine.
func isClickHouseEngine(name string) bool {
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = name[:i]
	}
	_, ok := clickhouseEngines[strings.ToLower(strings.TrimSpace(name))]
	return ok
}

// closestEngine is the engine of the format nearest to name by edit
// distance, for a suggestion, or "".
func closestEngine(name string) string {
	best, bestD := "", 4
	for _, e := range knownEngines {
		if d := editDistance(strings.ToLower(name), strings.ToLower(e)); d < bestD {
			best, bestD = e, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
