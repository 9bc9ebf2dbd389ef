package engine

import (
	"context"
	"maps"
)

// Settings are ClickHouse settings for one query: values are integers,
// booleans or strings.
type Settings map[string]any

type optionsKey struct{}

// options are the per-query options carried by a context.
type options struct {
	settings   Settings
	queryID    string
	onProgress func(Progress)
	onProfile  func(Profile)
}

func fromContext(ctx context.Context) options {
	o, _ := ctx.Value(optionsKey{}).(options)
	return o
}

func with(ctx context.Context, f func(*options)) context.Context {
	o := fromContext(ctx)
	f(&o)
	return context.WithValue(ctx, optionsKey{}, o)
}

// WithSettings adds settings to the queries run with ctx; they are merged
// with settings already in ctx, the new values winning.
func WithSettings(ctx context.Context, s Settings) context.Context {
	return with(ctx, func(o *options) {
		merged := make(Settings, len(o.settings)+len(s))
		maps.Copy(merged, o.settings)
		maps.Copy(merged, s)
		o.settings = merged
	})
}

// WithQueryID names the next query run with ctx, for Cancel and the logs.
func WithQueryID(ctx context.Context, id string) context.Context {
	return with(ctx, func(o *options) { o.queryID = id })
}

// WithProgress calls fn with the progress of queries run with ctx.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return with(ctx, func(o *options) { o.onProgress = fn })
}

// WithProfile calls fn with the profile of queries run with ctx.
func WithProfile(ctx context.Context, fn func(Profile)) context.Context {
	return with(ctx, func(o *options) { o.onProfile = fn })
}

// SettingsFrom returns the settings carried by ctx (nil when none).
func SettingsFrom(ctx context.Context) Settings { return fromContext(ctx).settings }

// QueryIDFrom returns the query id carried by ctx ("" when none).
func QueryIDFrom(ctx context.Context) string { return fromContext(ctx).queryID }
