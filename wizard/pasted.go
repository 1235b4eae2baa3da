package wizard

import (
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/spec"
)

// PastedFix reads what a user commonly pastes into a field instead of the
// value asked for (an ARN where an account ID goes, an s3:// URI where the
// bucket goes) and says what to type instead; "" when v is none of those.
func PastedFix(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case spec.FlagOwnerAccount, spec.FlagConsumerAccount:
		var ids []string
		for _, part := range Split(v) {
			if strings.HasPrefix(part, "arn:") && arn.AccountOf(part) != "" {
				ids = append(ids, arn.AccountOf(part))
			}
		}
		if len(ids) > 0 {
			return "that is an ARN: its account ID is " + strings.Join(ids, ", ") + "; type that"
		}
	case spec.FlagBucket:
		rest, ok := strings.CutPrefix(v, "s3://")
		if !ok {
			if a, isARN := strings.CutPrefix(v, "arn:aws:s3:::"); isARN {
				rest, ok = a, true
			}
		}
		if !ok || rest == "" {
			return ""
		}
		bucket, prefix, _ := strings.Cut(rest, "/")
		out := "that is a location: the bucket is " + bucket + "; type that"
		if prefix != "" {
			out += ", and " + prefix + " under Prefixes"
		}
		return out
	}
	return ""
}
