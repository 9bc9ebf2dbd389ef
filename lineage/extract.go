package lineage

import (
	"runtime"
	"sync"

	"github.com/perchdata/perch/datafiles"
)

// extracted is what the RefFinder said about one node.
type extracted struct {
	refs []Ref
	err  error
	// secrets and vars are the tb_secret() / tb_var() values the node
	// reads that are not set.
	secrets, vars []string
}

// extractAll runs the finder over every node of the named pipes, spread over
// GOMAXPROCS goroutines (rendering and parsing SQL is most of the cost of a
// build); results are by node, so the build that reads them stays
// deterministic.
func extractAll(p *datafiles.Project, find RefFinder, pipes []string) map[*datafiles.Node]extracted {
	type job struct {
		pipe *datafiles.Pipe
		node *datafiles.Node
	}
	var jobs []job
	for _, name := range pipes {
		pipe := p.Pipes[name]
		for _, n := range pipe.Nodes {
			jobs = append(jobs, job{pipe, n})
		}
	}
	results := make([]extracted, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), len(jobs)/8+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				refs, err := find(p, jobs[i].pipe, jobs[i].node)
				secrets, vars := nodeSecrets(jobs[i].node)
				results[i] = extracted{refs: refs, err: err, secrets: secrets, vars: vars}
			}
		}(w)
	}
	wg.Wait()
	out := make(map[*datafiles.Node]extracted, len(jobs))
	for i, j := range jobs {
		out[j.node] = results[i]
	}
	return out
}
