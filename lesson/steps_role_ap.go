package lesson

import "github.com/s3grant/s3grant/arn"

// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
const externalIDPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html"

// trust is the owner role's trust policy naming principal, asking for the
// ExternalId when externalID is set.
func trust(principal, externalID string) Doc {
	s := stmt{Sid: "TrustConsumer", Effect: "Allow", Principal: awsPrincipal{principal}, Action: "sts:AssumeRole"}
	if principal == arn.Root(part, Owner) {
		s.Sid = "TrustOwnAccount"
	}
	if externalID != "" {
		s.Sid = "TrustConsumerWithExternalId"
		s.Condition = cond{"StringEquals": {"sts:ExternalId": externalID}}
	}
	return Doc{Kind: OwnerRoleTrust, Account: Owner, Target: OwnerRole, Text: doc(s), Marked: s.Sid}
}

// rolePerms is what the owner's role may do: read reports/.
func rolePerms() Doc {
	return Doc{
		Kind: OwnerRolePerms, Account: Owner, Target: OwnerRole,
		Text: doc(stmt{Sid: "ReadReports", Effect: "Allow", Action: "s3:GetObject", Resource: reportsARN}),
	}
}

// mayAssume is the consumer's half: its role may call sts:AssumeRole on
// the owner's role.
func mayAssume() Doc {
	return consumerHalf(stmt{Sid: "AssumeOwnerRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: ownerRoleARN})
}

func assume(expect Decision, externalID, because string) Req {
	return Req{Op: AssumeRole, ExternalID: externalID, Expect: expect, Because: because}
}

func viaRole(key, externalID string, expect Decision, because string) Req {
	return Req{Op: GetObject, Key: key, ViaRole: true, ExternalID: externalID, Expect: expect, Because: because}
}

func stepRole() Step {
	return Step{
		Number: 4, Title: "The same grant as an IAM role",
		Stages: []Stage{
			{
				Title:    "The trust policy alone",
				Apply:    []Doc{trust(consumerRoleARN, ""), unchanged(rolePerms())},
				Requests: []Req{assume(Denied, "", "identity")},
				Note: "The owner's role trusts the consumer, " +
					"but the consumer's account has not allowed its role to call sts:AssumeRole.",
			},
			{
				Title:    "The consumer's permission alone",
				Apply:    []Doc{trust(arn.Root(part, Owner), ""), mayAssume()},
				Requests: []Req{assume(Denied, "", "trust")},
				Note: "Now the consumer may ask, but the trust policy names only the owner's own account: " +
					"the role refuses.",
			},
			{
				Title: "Both halves",
				Apply: []Doc{trust(consumerRoleARN, "")},
				Requests: []Req{
					assume(Allowed, "", ""), viaRole(Report, "", Allowed, ""),
					viaRole(Export, "", Denied, "no identity policy statement allows"),
				},
				Note: "With both halves the consumer becomes the role. The role lives in the owner's account, " +
					"so its permissions alone decide what it reads: reports/ yes, exports/ no.",
			},
			{
				Title:    "ExternalId: missing, then given",
				Apply:    []Doc{trust(consumerRoleARN, ExternalID)},
				Requests: []Req{assume(Denied, "", "ExternalId"), viaRole(Report, ExternalID, Allowed, "")},
				Note: "The trust policy now asks for an ExternalId: " +
					"without it the role refuses, with it the consumer is in.",
			},
		},
		Rule: "Assuming a role in another account needs the role's trust policy to name the caller " +
			"AND the caller's own policy to allow sts:AssumeRole; " +
			"an ExternalId condition guards a third party's role against the confused deputy.",
		Link: externalIDPage,
	}
}

var (
	ownerAPArn    = APArn(Owner, OwnerAP)
	consumerAPArn = APArn(Consumer, ConsumerAP)
)

// delegation is the owner's bucket policy handing access decisions to the
// owner's own access points, pinned by s3:DataAccessPointAccount.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func delegation() Doc {
	s := stmt{
		Sid: "DelegateToOwnAccessPoints", Effect: "Allow", Principal: awsPrincipal{"*"}, Action: "*",
		Resource:  []string{bucketARN, bucketARN + "/*"},
		Condition: cond{"StringEquals": {"s3:DataAccessPointAccount": Owner}},
	}
	return Doc{Kind: BucketPolicy, Account: Owner, Target: Bucket, Text: doc(s, denyPlainHTTP()), Marked: s.Sid}
}

func apPolicy(account, name, principal, sid string) Doc {
	s := stmt{
		Sid: sid, Effect: "Allow", Principal: awsPrincipal{principal}, Action: "s3:GetObject",
		Resource: APArn(account, name) + "/object/reports/*",
	}
	return Doc{Kind: AccessPointPolicy, Account: account, Target: name, Text: doc(s), Marked: sid}
}

func viaAP(ap string, expect Decision, because string) Req {
	return Req{Op: GetViaAPAlias, AccessPoint: ap, Key: Report, Expect: expect, Because: because}
}

func stepAccessPoint() Step {
	return Step{
		Number: 5, Title: "An access point, and the owner's pin",
		Stages: []Stage{
			{
				Title:    "The access point policy alone",
				Apply:    []Doc{apPolicy(Owner, OwnerAP, consumerRoleARN, "ConsumerReadsReports")},
				Requests: []Req{viaAP(ownerAPArn, Denied, "bucket policy")},
				Note: "A request through an access point must also be allowed by the bucket's policy: " +
					"the bucket has not delegated.",
			},
			{
				Title:    "The bucket delegates to the owner's access points",
				Apply:    []Doc{delegation()},
				Requests: []Req{viaAP(ownerAPArn, Denied, "identity")},
				Note:     "Access point and bucket now agree; the consumer's own identity policy still says nothing.",
			},
			{
				Title: "The consumer's identity policy",
				Apply: []Doc{consumerHalf(stmt{
					Sid: "ReadReportsThroughAccessPoint", Effect: "Allow", Action: "s3:GetObject",
					Resource: ownerAPArn + "/object/reports/*",
				})},
				Requests: []Req{
					viaAP(ownerAPArn, Allowed, ""),
					read(Report, Denied, "DataAccessPointAccount"),
				},
				Note: "Three documents, one yes: through the access point it works; " +
					"straight to the bucket it does not, as the bucket only delegates to access points.",
			},
			{
				Title: "The consumer re-shares through its own access point",
				Apply: []Doc{
					consumerHalf(stmt{Sid: "ConsumerAllowsEverything", Effect: "Allow", Action: "s3:*", Resource: "*"}),
					apPolicy(Consumer, ConsumerAP, consumerRoleARN, "ReshareReports"),
				},
				Requests: []Req{viaAP(consumerAPArn, Denied, "DataAccessPointAccount")},
				Note: "The consumer controls its account completely, yet its access point gets nothing: " +
					"the bucket's delegation is pinned to the owner's account (s3:DataAccessPointAccount).",
			},
		},
		Rule: "Through an access point, the access point policy, the bucket policy " +
			"and the caller's identity policy must all allow; " +
			"pinning the delegation with s3:DataAccessPointAccount keeps other accounts' access points out.",
		Link: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html",
	}
}
