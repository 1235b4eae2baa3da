package lesson

import "github.com/s3grant/s3grant/arn"

// ManagedReport is the object step 6 writes under the AWS managed key.
const ManagedReport = "reports/q1-aws-managed.csv"

// readPrefixes is the owner's half for GetObject under reports/ and
// exports/, with the TLS statement.
func readPrefixes(sid string) Doc {
	s := stmt{
		Sid: sid, Effect: "Allow", Principal: awsPrincipal{consumerRoleARN}, Action: "s3:GetObject",
		Resource: []string{reportsARN, bucketARN + "/exports/*"},
	}
	return Doc{Kind: BucketPolicy, Account: Owner, Target: Bucket, Text: doc(s, denyPlainHTTP()), Marked: sid}
}

// keyPolicy is the owner key's policy: the default statement (the owner's
// IAM decides for the owner) and, when consumer, the consumer's half.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func keyPolicy(consumer bool) Doc {
	sts := []stmt{{
		Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: awsPrincipal{arn.Root(part, Owner)},
		Action: "kms:*", Resource: "*",
	}}
	marked := ""
	if consumer {
		marked = "ConsumerDecrypts"
		sts = append(sts, stmt{
			Sid: marked, Effect: "Allow", Principal: awsPrincipal{consumerRoleARN},
			Action: "kms:Decrypt", Resource: "*",
		})
	}
	return Doc{Kind: KeyPolicy, Account: Owner, Target: KeyID, Text: doc(sts...), Marked: marked}
}

func stepKMS() Step {
	identity := consumerHalf(
		stmt{
			Sid: "ReadReportsAndExports", Effect: "Allow", Action: "s3:GetObject",
			Resource: []string{reportsARN, bucketARN + "/exports/*"},
		},
		stmt{Sid: "DecryptWithOwnerKey", Effect: "Allow", Action: "kms:Decrypt", Resource: keyARN})
	return Step{
		Number: 6, Title: "KMS: the key is a third half",
		Stages: []Stage{
			{
				Title: "Both S3 halves, and the key's default policy",
				Apply: []Doc{readPrefixes("ReadReportsAndExports"), identity, keyPolicy(false)},
				Requests: []Req{
					read(Export, Allowed, ""),
					read(Encrypted, Denied, "[key]"),
				},
				Note: Encrypted + " is encrypted with the owner's customer managed key: " +
					"S3 allows the read, KMS refuses to decrypt, as the key policy trusts only the owner's account.",
			},
			{
				Title:    "The key policy's half",
				Apply:    []Doc{keyPolicy(true)},
				Requests: []Req{read(Encrypted, Allowed, "")},
				Note: "The key policy now names the consumer's role, " +
					"and the consumer's identity policy allows kms:Decrypt on the key: both halves, again.",
			},
			{
				Title: "The AWS managed key (aws/s3)",
				Apply: []Doc{{
					Kind: ManagedKeyObject, Account: Owner, Target: ManagedReport,
					Text: "quarter,revenue\n2026-Q1,3900\n",
				}},
				Requests: []Req{read(ManagedReport, Denied, "cannot be used by another account")},
				Note: "The owner wrote this object with aws:kms and no key ID, " +
					"so S3 used the account's AWS managed key. " +
					"Its key policy admits only the owner's own account (kms:CallerAccount) " +
					"and nobody may change it: no document of either account can ever fix this.",
			},
		},
		Rule: "An object under a customer managed key needs the key policy " +
			"and the caller's identity policy to allow kms:Decrypt too; " +
			"an object under the AWS managed key aws/s3 can never be read from another account.",
		Link: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
	}
}

// uploads lets the consumer write under uploads/ (both halves).
func uploads() []Doc {
	res := bucketARN + "/uploads/*"
	actions := []string{"s3:PutObject", "s3:PutObjectAcl"}
	owner := stmt{
		Sid: "ConsumerUploads", Effect: "Allow", Principal: awsPrincipal{consumerRoleARN},
		Action: actions, Resource: res,
	}
	return []Doc{
		{Kind: BucketPolicy, Account: Owner, Target: Bucket, Text: doc(owner, denyPlainHTTP()), Marked: owner.Sid},
		consumerHalf(stmt{Sid: "Upload", Effect: "Allow", Action: actions, Resource: res}),
	}
}

func ownership(v string) Doc {
	return Doc{Kind: OwnershipControls, Account: Owner, Target: Bucket, Text: v}
}

func put(key, acl string, expect Decision, because string) Req {
	return Req{Op: PutObjectACL, Key: key, ACL: acl, Expect: expect, Because: because}
}

func stepACL() Step {
	const upload = "uploads/from-consumer.csv"
	ownerRead := Req{Op: GetObject, Key: upload, AsOwner: true}
	denied, allowed := ownerRead, ownerRead
	denied.Expect, allowed.Expect = Denied, Allowed
	// The sandbox names the object's owner: the consumer's account.
	denied.Because = "resource owner " + Consumer
	return Step{
		Number: 7, Title: "ACLs: the legacy path and Object Ownership",
		Stages: []Stage{
			{
				Title: "BucketOwnerEnforced (every new bucket's default)",
				Apply: uploads(),
				Requests: []Req{
					put(upload, "public-read", Refused, ""),
					put(upload, "bucket-owner-full-control", Allowed, ""),
				},
				Note: "ACLs are disabled: S3 rejects an ACL granting anything (400 AccessControlListNotSupported) " +
					"before any policy is read; the bucket owner owns every object.",
			},
			{
				Title:    "ObjectWriter: ACLs back on, the writer owns the object",
				Apply:    []Doc{ownership("ObjectWriter")},
				Requests: []Req{put(upload, "", Allowed, ""), denied},
				Note: "The consumer wrote the object without an ACL, so the consumer's account owns it: " +
					"even the bucket owner's administrator cannot read it. " +
					"This is why the ACL path is legacy.",
			},
			{
				Title:    "BucketOwnerEnforced again",
				Apply:    []Doc{ownership("BucketOwnerEnforced")},
				Requests: []Req{allowed},
				Note: "With ACLs disabled the bucket owner owns every object, " +
					"the consumer's upload included, and only policies decide access.",
			},
		},
		Rule: "Keep Object Ownership at BucketOwnerEnforced: " +
			"ACLs are disabled, the bucket owner owns every object, and access is decided by policies alone.",
		Link: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
	}
}
