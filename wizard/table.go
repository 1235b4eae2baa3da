package wizard

import (
	"errors"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/spec"
)

// accountTable is asked before the method in an offline dry run; connected,
// the accounts come from the profiles.
var accountTable = []Question{
	{
		Key: spec.FlagOwnerAccount, Group: GroupAccounts,
		Title: "Owner account ID", Prompt: "Owner account ID (12 digits)",
		Help:    text("The 12-digit ID of the account that owns the bucket."),
		Example: text(spec.ExampleAccount), Asked: offline,
	},
	{
		Key: spec.FlagConsumerAccount, Group: GroupAccounts, Title: "Consumer account IDs",
		Prompt:  "Consumer account IDs, comma-separated",
		Help:    text("The account(s) that need access, comma-separated."),
		Example: text(arn.AccountOf(spec.ExamplePrincipal)), Asked: offline,
	},
}

func offline(a *Answers) bool { return !a.Connect }

// table is the questions after the method, in order. The help texts cite
// no AWS page: the rules they state are the spec's, which cite them.
var table = []Question{
	{
		Key: spec.FlagBucket, Group: GroupBucket, Title: "Bucket", Prompt: "Bucket name",
		Help: text("The bucket in the owner account."), Example: text(spec.ExampleBucket), Suggest: SuggestBuckets,
	},
	{
		Key: spec.FlagRegion, Group: GroupBucket, Title: "Region", Prompt: "Region (required for access points)",
		Help: regionHelp, Example: text(spec.ExampleRegion), Finds: spec.FlagRegion,
	},
	{
		Key: spec.FlagAccess, Kind: KindChoice, Group: GroupConsumer, Title: "Access", Prompt: "Access:",
		Options: func(a *Answers) []Option { return AccessOptions(a.Method) },
	},
	{
		Key: spec.FlagPrefix, Group: GroupConsumer, Title: "Prefixes",
		Prompt: "Prefixes, comma-separated, ending in / (empty: the whole bucket)",
		Help:   text("Comma-separated key prefixes ending in /; empty for the whole bucket."),
		// ACL grants cover the whole bucket.
		Example: text("reports/, exports/"), Asked: func(a *Answers) bool { return a.Method != spec.MethodACL },
	},
	{
		Key: spec.FlagConsumerPrincipal, Group: GroupConsumer, Title: "Consumer principals",
		Prompt:  "Consumer principal ARNs, comma-separated (empty: the whole account)",
		Help:    text("Comma-separated role or user ARNs in the consumer account(s); empty grants the whole account."),
		Example: text(spec.ExamplePrincipal), Suggest: SuggestRoles,
	},

	{
		Key: spec.FlagRoleName, Group: GroupRole, Title: "Role name", Prompt: "Role name",
		Help:    text("The role s3grant creates in the owner account."),
		Default: roleDefault, Follows: []string{spec.FlagBucket}, Asked: is(spec.MethodIAMRole),
	},
	{
		Key: KeyUseExternalID, Kind: KindConfirm, Group: GroupRole,
		Title:  "Is the consumer a third party acting for several customers?",
		Prompt: "Is the consumer a third party acting for several customers (require an ExternalId)?",
		Help:   text("Then the trust policy requires an ExternalId (it prevents the confused deputy)."),
		Asked:  is(spec.MethodIAMRole),
	},
	{
		Key: spec.FlagExternalID, Group: GroupRole, Title: "ExternalId", Prompt: "ExternalId",
		Help:    text("The value the consumer passes to sts:AssumeRole; it is not a secret."),
		Example: text(spec.ExampleExternalID), Asked: is(spec.MethodIAMRole), Gate: KeyUseExternalID,
		Required: spec.ValidateExternalID,
	},

	{
		Key: spec.FlagAccessPoint, Group: GroupAP, Title: "Access point name", Prompt: "Access point name",
		Default: apDefault, Follows: []string{spec.FlagConsumerAccount},
		Asked: is(spec.MethodAccessPoint), Suggest: SuggestAccessPoints,
	},
	{
		Key: spec.FlagAccessPointOwner, Kind: KindChoice, Group: GroupAP, Title: "Which account owns the access point?",
		Prompt: "Which account owns the access point?", Asked: apOwnerAsked,
		Options: func(*Answers) []Option {
			return []Option{
				{"owner: in the bucket's account", spec.APOwnerOwner},
				{"consumer: in the consumer's account, on the owner's bucket (cross-account)", spec.APOwnerConsumer},
			}
		},
	},

	{
		Key: spec.FlagCanonicalID, Group: GroupGrantees, Title: "Canonical user IDs",
		Prompt: "Canonical user IDs, comma-separated",
		Help:   text("Comma-separated; the consumer finds its ID with: aws s3api list-buckets --query Owner.ID"),
		// The full 64 hex digits would push the form off the screen.
		Example: text(spec.ExampleCanonical[:20] + "…"), Asked: is(spec.MethodACL), Finds: spec.FlagCanonicalID,
	},

	{
		Key: KeyACLConsent, Group: GroupGrantees, Title: "Object Ownership",
		Prompt: "If ACLs are disabled on the bucket, type " + ACLConsentWord +
			" to let apply turn them back on (empty: apply stops instead)",
		Help: text("If the bucket's Object Ownership is BucketOwnerEnforced (ACLs disabled, the AWS default), " +
			"ACL grants cannot work. " +
			"Type " + ACLConsentWord + " to let apply set BucketOwnerPreferred (undo restores it); " +
			"leave empty to have apply stop instead."),
		Asked: is(spec.MethodACL), Rule: aclConsent,
	},

	{
		Key: KeyUseKMS, Kind: KindConfirm, Group: GroupGuardrails,
		Title:  "Are the objects encrypted with a customer managed KMS key?",
		Prompt: "Are the objects encrypted with a customer managed KMS key?",
		Help:   text("Then both sides need KMS permissions on that key."), Finds: spec.FlagKMSKey,
	},
	{
		Key: spec.FlagKMSKey, Group: GroupGuardrails, Title: "KMS key ARN", Prompt: "KMS key ARN",
		Help:    text("The bucket's key, in the owner account and the bucket's region."),
		Example: kmsExample, Follows: []string{spec.FlagRegion, spec.FlagOwnerAccount},
		Gate: KeyUseKMS, Required: spec.ValidateKMSKey, Finds: spec.FlagKMSKey,
	},
	{
		Key: spec.FlagOrgID, Group: GroupGuardrails,
		Title: "Organization ID (optional)", Prompt: "Organization ID (optional)",
		Help: text("Also require the consumer to be in this AWS Organization."), Example: text(spec.ExampleOrgID),
	},
	{
		Key: KeyRequireTLS, Kind: KindConfirm, Group: GroupGuardrails, Title: "Deny plain-HTTP requests?",
		Prompt: "Deny plain-HTTP requests (recommended)?",
		Help:   text("Recommended: adds a statement that denies requests without TLS."),
	},
}

// aclConsent accepts the consent word or nothing.
//
// Object Ownership and ACLs:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func aclConsent(v string) error {
	if v = strings.TrimSpace(v); v != "" && v != ACLConsentWord {
		return errors.New("type " + ACLConsentWord + " to consent, or leave it empty (e.g. " + ACLConsentWord + ")")
	}
	return nil
}

func regionHelp(a *Answers) string {
	if a.Method == spec.MethodAccessPoint {
		return "Required: an access point ARN includes the region."
	}
	return "Optional: the bucket's region, used for ARNs and the example commands."
}

func roleDefault(a *Answers) string {
	return spec.Spec{Method: spec.MethodIAMRole, Bucket: a.Bucket}.WithDefaults().RoleName
}

func apDefault(a *Answers) string {
	return spec.Spec{Method: spec.MethodAccessPoint, ConsumerAccounts: Split(a.Consumers)}.WithDefaults().AccessPoint
}

// apOwnerAsked: a consumer-owned access point belongs to one consumer
// account, so with several the owner's account is the only choice.
func apOwnerAsked(a *Answers) bool {
	return a.Method == spec.MethodAccessPoint && len(Split(a.Consumers)) == 1
}

// kmsExample follows the region and owner account typed so far.
func kmsExample(a *Answers) string {
	region, owner := a.or(spec.FlagRegion, a.Region), a.OwnerAcct
	if region == "" {
		region = spec.ExampleRegion
	}
	if owner == "" {
		owner = spec.ExampleAccount
	}
	return arn.Key(arn.Partition(region), region, owner, "…")
}
