package cmd

import (
	"slices"
	"strings"
)

// usageErrors are the beginnings of cobra's own argument and flag errors.
var usageErrors = []string{
	"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most",
	"invalid argument", "flag needs an argument", "required flag",
}

// isUsageError recognises cobra's own argument and flag errors, which are
// invalid input (exit 2).
func isUsageError(err error) bool {
	msg := err.Error()
	return slices.ContainsFunc(usageErrors, func(s string) bool { return strings.Contains(msg, s) })
}
