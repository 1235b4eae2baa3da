package policy

import "slices"

// internKey returns the one copy of a lower-cased condition key name the
// package holds, for the keys AWS defines that policies name most: the
// global keys and S3's, KMS's and STS's that s3grant's documents use.
// Context.Set stores keys through it and Prepare compiles conditions
// through it, so a lookup of such a key in a Context finds its slot by
// comparing two pointers: the map's copy of the name is not read, which on
// a request not in the cache is one memory wait fewer per lookup. Any
// other key is returned as given. The names are lower-cased as Context
// stores them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
func internKey(lower string) (string, bool) {
	if i, ok := slices.BinarySearch(internedKeys[:], lower); ok {
		return internedKeys[i], true
	}
	return lower, false
}

// internedKeys is sorted (TestInternedKeysSorted): an array of constants,
// laid out by the linker, with no table built at start-up.
var internedKeys = [...]string{
	"aws:calledvia", "aws:currenttime", "aws:epochtime", "aws:federatedprovider", "aws:multifactorauthage",
	"aws:multifactorauthpresent", "aws:principalaccount", "aws:principalarn", "aws:principalisawsservice",
	"aws:principalorgid", "aws:principalorgpaths", "aws:principalservicename", "aws:principaltype", "aws:referer",
	"aws:requestedregion", "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths",
	"aws:securetransport", "aws:sourceaccount", "aws:sourcearn", "aws:sourceidentity", "aws:sourceip",
	"aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
	"aws:tokenissuetime", "aws:useragent", "aws:userid", "aws:username", "aws:viaawsservice", "aws:vpcsourceip",
	"kms:calleraccount", "kms:viaservice", "s3:accesspointnetworkorigin", "s3:authtype",
	"s3:dataaccesspointaccount", "s3:dataaccesspointarn", "s3:delimiter", "s3:max-keys", "s3:prefix",
	"s3:resourceaccount", "s3:signatureage", "s3:signatureversion", "s3:tlsversion", "s3:versionid",
	"s3:x-amz-acl", "s3:x-amz-content-sha256", "s3:x-amz-server-side-encryption",
	"s3:x-amz-server-side-encryption-aws-kms-key-id", "sts:externalid",
}
