package datafiles

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseGenerated parses the files of the generated project from
// memory on one goroutine: the parsing share of BenchmarkLoadGenerated.
func BenchmarkParseGenerated(b *testing.B) {
	dir := b.TempDir()
	generateProject(b, dir, 100)
	type file struct {
		name string
		src  string
	}
	var files []file
	var size int64
	for _, sub := range []string{"datasources", "pipes"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			src, err := os.ReadFile(filepath.Join(dir, sub, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, file{sub + "/" + e.Name(), string(src)})
			size += int64(len(src))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	user0, _ := processCPU()
	for b.Loop() {
		for _, f := range files {
			k, _ := KindOf(f.name)
			c := &parseCtx{kind: k}
			if k == KindPipe {
				c.pipe(f.name, f.src)
			} else {
				c.datasource(f.name, f.src)
			}
		}
	}
	if user, _ := processCPU(); user > user0 {
		b.ReportMetric(float64(user-user0)/float64(b.N)/float64(len(files)), "user-ns/file")
	}
}
