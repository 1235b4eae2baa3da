package policy

import (
	"strings"
)

// describeResources says what the statement applies to, with the
// preposition each resource reads best with ("under b/reports/", "on bucket
// b"). assume drops the preposition for role ARNs: "assume role X".
func describeResources(s Statement, o DescribeOptions, assume bool, vars *descVars) string {
	if !s.NotResource.Empty() {
		var nouns []string
		for _, r := range descUnique(s.NotResource.Values) {
			nouns = append(nouns, descResourceNoun(r, o, vars))
		}
		return "on any resource except " + descJoinAnd(nouns)
	}
	if s.Resource.Empty() {
		if o.Kind == KindTrustPolicy {
			if assume {
				return "this role"
			}
			return "on this role"
		}
		return "on no resource (the statement names none)"
	}
	var phrases []string
	for _, r := range descUnique(s.Resource.Values) {
		phrases = append(phrases, descResourcePrep(r, o, assume, vars))
	}
	return descJoinAnd(descGroupThrough(phrases))
}

// descGroupThrough says an access point once for the prefixes reached
// through it: "under a/ and under b/ through access point X".
func descGroupThrough(phrases []string) []string {
	const through = " through access point "
	var out []string
	at := map[string]int{} // suffix -> index in out
	for _, p := range phrases {
		i := strings.Index(p, through)
		if i < 0 || !strings.HasPrefix(p, "under ") {
			out = append(out, p)
			continue
		}
		head, suffix := p[:i], p[i:]
		if j, ok := at[suffix]; ok {
			out[j] = strings.TrimSuffix(out[j], suffix) + " and " + head + suffix
			continue
		}
		at[suffix] = len(out)
		out = append(out, p)
	}
	return out
}

// descResourcePrep is a resource with its preposition.
func descResourcePrep(r string, o DescribeOptions, assume bool, vars *descVars) string {
	noun := descResourceNoun(r, o, vars)
	plain := vars.plain(r)
	a, ok := descParseARN(plain)
	switch {
	case assume && (r == "*" && o.Kind == KindTrustPolicy || ok && a.service == "iam" && a.kind == "role"):
		return noun
	case ok && a.service == "s3" && a.region == "" && a.kind != "" && !descWild(a.kind):
		if p, ok := descObjectPrep(a.kind, a.name); ok {
			return p
		}
	case ok && a.service == "s3" && strings.HasPrefix(a.resource, "accesspoint/"):
		if name, key, ok := strings.Cut(a.name, "/object/"); ok && !descWild(name) {
			if p, ok := descAPObjectPrep(key, descAPWords(name, a)); ok {
				return p
			}
		}
	}
	return "on " + noun
}

// descObjectPrep reads an object ARN's key pattern: "under b/p/", "anywhere in
// bucket b"; false when only the noun form fits.
func descObjectPrep(bucket, key string) (string, bool) {
	switch {
	case key == "*":
		return "anywhere in bucket " + bucket, true
	case descPrefixPattern(key) && strings.HasSuffix(key, "/*"):
		return "under " + bucket + "/" + strings.TrimSuffix(key, "*"), true
	case descPrefixPattern(key):
		return "in bucket " + bucket + " for keys starting with " + descQuote(strings.TrimSuffix(key, "*")), true
	}
	return "", false
}

func descAPObjectPrep(key, ap string) (string, bool) {
	switch {
	case key == "*":
		return "anywhere through " + ap, true
	case descPrefixPattern(key) && strings.HasSuffix(key, "/*"):
		return "under " + strings.TrimSuffix(key, "*") + " through " + ap, true
	}
	return "", false
}

// descResourceNoun names one resource ARN in words, or quotes it.
func descResourceNoun(r string, o DescribeOptions, vars *descVars) string {
	if r == "*" {
		return descStarResource(o.Kind)
	}
	// Variables become placeholders without wildcards or colons, so they
	// neither split the ARN nor read as patterns; Describe puts them back.
	plain := vars.plain(r)
	a, ok := descParseARN(plain)
	if !ok {
		return descLiteralResource(plain)
	}
	switch {
	case a.service == "s3" && a.region == "" && a.account == "":
		if w, ok := descS3Noun(a); ok {
			return w
		}
	case a.service == "s3" && strings.HasPrefix(a.resource, "accesspoint/"):
		if w, ok := descAPNoun(a); ok {
			return w
		}
	case descWild(plain):
	case a.service == "kms" && a.kind == "key":
		return "KMS key " + a.name + " in account " + a.account + " (" + a.region + ")"
	case a.service == "kms" && a.kind == "alias":
		return "KMS alias " + a.name + " in account " + a.account + " (" + a.region + ")"
	case a.service == "iam" && (a.kind == "role" || a.kind == "user"):
		return a.kind + " " + a.name + " in account " + a.account
	}
	return descLiteralResource(plain)
}

func descLiteralResource(r string) string {
	if descWild(r) {
		return "resources matching " + descQuote(r)
	}
	return "the resource " + descQuote(r)
}

func descStarResource(k Kind) string {
	switch k {
	case KindBucketPolicy:
		return "this bucket and its objects"
	case KindAccessPointPolicy:
		return "this access point and the objects reached through it"
	case KindKeyPolicy:
		return "this key"
	case KindTrustPolicy:
		return "this role"
	default: // no special case
	}
	return "any resource"
}

// descS3Noun reads arn:aws:s3:::bucket and arn:aws:s3:::bucket/key-pattern.
func descS3Noun(a descARN) (string, bool) {
	bucket, key, isObject := strings.Cut(a.resource, "/")
	if descWild(bucket) || bucket == "" {
		return "", false
	}
	switch {
	case !isObject:
		return "bucket " + bucket, true
	case key == "*":
		return "every object in bucket " + bucket, true
	case descPrefixPattern(key) && strings.HasSuffix(key, "/*"):
		return "objects under " + bucket + "/" + strings.TrimSuffix(key, "*"), true
	case descPrefixPattern(key):
		return "objects in bucket " + bucket + " whose key starts with " + descQuote(strings.TrimSuffix(key, "*")), true
	case !descWild(key):
		return "object " + bucket + "/" + key, true
	}
	return "", false
}

// descAPNoun reads arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME and its
// /object/KEY-PATTERN form.
func descAPNoun(a descARN) (string, bool) {
	name, key, isObject := strings.Cut(a.name, "/object/")
	if descWild(name) || name == "" || descWild(a.account) || descWild(a.region) {
		return "", false
	}
	ap := descAPWords(name, a)
	switch {
	case !isObject:
		return ap, true
	case key == "*":
		return "every object reached through " + ap, true
	case descPrefixPattern(key) && strings.HasSuffix(key, "/*"):
		return "objects under " + strings.TrimSuffix(key, "*") + " reached through " + ap, true
	case descPrefixPattern(key):
		prefix := descQuote(strings.TrimSuffix(key, "*"))
		return "objects whose key starts with " + prefix + " reached through " + ap, true
	case !descWild(key):
		return "object " + key + " reached through " + ap, true
	}
	return "", false
}

func descAPWords(name string, a descARN) string {
	return "access point " + name + " in account " + a.account + " (" + a.region + ")"
}

// descPrefixPattern reports whether a key pattern is a literal prefix followed
// by one trailing "*" (which matches any rest of the key, slashes included).
func descPrefixPattern(key string) bool {
	return strings.HasSuffix(key, "*") && len(key) > 1 && !descWild(key[:len(key)-1])
}

func descWild(s string) bool { return strings.ContainsAny(s, "*?") }
