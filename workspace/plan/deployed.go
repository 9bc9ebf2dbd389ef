package plan

// The planner works on the project as Tinybird deploys it
// (datafiles.Project.AsDeployed: Classic name__vN, Kafka meta columns,
// quarantine tables), and compares it with the deployed project in the same
// form.

// remoteDeployView is remote with its deployed project in deployed form,
// so that metadata diffs compare like with like.
func remoteDeployView(r *Remote) *Remote {
	if r == nil || r.Deployed == nil {
		return r
	}
	dv := r.Deployed.AsDeployed()
	if dv == r.Deployed {
		return r
	}
	c := *r
	c.Deployed = dv
	return &c
}
