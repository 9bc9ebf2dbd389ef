package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// ErrClusterUnhealthy is returned (wrapped) when a cluster target has a host
// down, a replica read-only, or hosts that disagree: an ON CLUSTER change
// would then run on some hosts only.
var ErrClusterUnhealthy = errors.New("the cluster is not healthy")

// checkCluster reads every host of a cluster target before anything runs
// and refuses the apply unless all answer and agree; nothing has run then.
func checkCluster(ctx context.Context, c *workspace.Client) error {
	if c.Cluster() == "" {
		return nil
	}
	st, err := c.ClusterState(ctx, c.Database())
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if !st.Healthy() {
		return fmt.Errorf("apply: %w: nothing was changed: %s; fix the hosts (or wait for them to come back) and run perch apply again",
			ErrClusterUnhealthy, strings.Join(st.Issues, "; "))
	}
	return nil
}
