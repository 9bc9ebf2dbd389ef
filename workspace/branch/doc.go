// Package branch makes isolated copies of a workspace to try a change on
// real, sampled data without touching the workspace: a branch is a database
// on the same server (WORKSPACE__br_NAME) holding the project applied with
// plan and apply and a deterministic sample of every landing data source,
// masked on the way in, from which the branch's own materialized views
// recompute everything downstream. It lists and removes branches (never a
// database perch did not create) and compares what each endpoint returns,
// reads and costs on two branches (or a branch and the workspace).
//
// It sits above workspace/app, whose plan and apply it uses, and imports no
// UI package: cmd/perch prints its results.
package branch
