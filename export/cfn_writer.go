package export

import (
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
)

// CloudFormation has no resource that sets the policy of an existing KMS key
// or the ACL of an existing bucket, so those two documents go through a
// small Lambda-backed custom resource that makes the one API call.

// Custom resource types and the writer's logical IDs.
const (
	CustomKeyPolicy = "Custom::S3GrantKeyPolicy"
	CustomBucketACL = "Custom::S3GrantBucketAcl"
	writerID        = "S3GrantDocumentWriter"
	writerRoleID    = "S3GrantDocumentWriterRole"
)

// writerNeeds records what the writer function must be allowed to do.
type writerNeeds struct {
	keys    []string
	buckets []string
}

// writerCode is the custom resource handler. Deleting the stack leaves the
// document as it is: it holds statements and grants s3grant did not write
// (s3grant undo removes s3grant's own).
const writerCode = `import json

import boto3
import cfnresponse


def handler(event, context):
    props = event["ResourceProperties"]
    physical = event.get("PhysicalResourceId") or props.get("KeyId") or props.get("Bucket")
    try:
        if event["RequestType"] != "Delete":
            if event["ResourceType"] == "Custom::S3GrantKeyPolicy":
                boto3.client("kms").put_key_policy(
                    KeyId=props["KeyId"], PolicyName="default", Policy=props["Policy"])
            else:
                boto3.client("s3").put_bucket_acl(
                    Bucket=props["Bucket"], ExpectedBucketOwner=props["ExpectedBucketOwner"],
                    AccessControlPolicy=json.loads(props["AccessControlPolicy"]))
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical)
    except Exception as err:  # report every failure to CloudFormation, or the stack hangs
        cfnresponse.send(event, context, cfnresponse.FAILED, {"Error": str(err)}, physical)
`

func (c *cfn) writerToken() omap { return omap{{"Fn::GetAtt", []string{writerID, "Arn"}}} }

// keyPolicy writes the merged key policy (as a JSON string, the form
// PutKeyPolicy takes) after any role it names.
func (c *cfn) keyPolicy(d *plan.Document) {
	c.writer.keys = append(c.writer.keys, d.Target)
	id := c.logicalID("KeyPolicy")
	c.add(id, CustomKeyPolicy, omap{
		{"ServiceToken", c.writerToken()},
		{"KeyId", d.Target},
		{"Policy", string(d.Policy.Canonical())},
	}, true)
	var deps []string
	for _, arn := range sortedKeys(c.roles) {
		if strings.Contains(string(d.Policy.Minified()), `"`+arn+`"`) {
			deps = append(deps, c.roles[arn])
		}
	}
	if len(deps) > 0 {
		r := c.resources.get(id).(omap)
		c.resources = c.resources.set(id, append(omap{r[0], {"DependsOn", deps}}, r[1:]...))
	}
}

// bucketACL writes the merged ACL. When the plan did not read the ACL, the
// owner's canonical ID is a parameter and gets FULL_CONTROL first.
func (c *cfn) bucketACL(d *plan.Document) {
	bucket := bucketName(d.Target)
	c.writer.buckets = append(c.writer.buckets, bucket)
	var acp any = string(toAWSACL(d.ACL, "").indented())
	if d.ACL.Owner == "" {
		c.params = c.params.set(OwnerCanonicalIDParam, omap{
			{"Type", "String"},
			{"AllowedPattern", "^[0-9a-f]{64}$"},
			{"Description", "The bucket owner's canonical user ID " +
				"(as the owner: aws s3api list-buckets --query Owner.ID --output text)."},
		})
		acp = omap{{"Fn::Sub", string(toAWSACL(d.ACL, "${"+OwnerCanonicalIDParam+"}").indented())}}
	}
	c.add(c.logicalID("BucketAcl"), CustomBucketACL, omap{
		{"ServiceToken", c.writerToken()},
		{"Bucket", bucket},
		{"ExpectedBucketOwner", c.p.Spec.OwnerAccount},
		{"AccessControlPolicy", acp},
	}, true)
}

// addWriter adds the function and its role when a custom resource needs it,
// allowed only the calls and resources the template writes.
func (c *cfn) addWriter() {
	if len(c.writer.keys) == 0 && len(c.writer.buckets) == 0 {
		return
	}
	var stmts []omap
	if len(c.writer.keys) > 0 {
		stmts = append(stmts, omap{{"Effect", "Allow"}, {"Action", "kms:PutKeyPolicy"}, {"Resource", c.writer.keys}})
	}
	if len(c.writer.buckets) > 0 {
		var arns []string
		for _, b := range c.writer.buckets {
			arns = append(arns, arn.Bucket(c.p.Spec.Partition(), b))
		}
		stmts = append(stmts, omap{{"Effect", "Allow"}, {"Action", "s3:PutBucketAcl"}, {"Resource", arns}})
	}
	trust := omap{{"Version", "2012-10-17"}, {"Statement", []omap{{
		{"Effect", "Allow"},
		{"Principal", omap{{"Service", "lambda.amazonaws.com"}}},
		{"Action", "sts:AssumeRole"},
	}}}}
	// The AWS managed policy that lets the function write its logs.
	basicExecution := "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	writeDocuments := omap{{"Version", "2012-10-17"}, {"Statement", stmts}}
	c.add(writerRoleID, "AWS::IAM::Role", omap{
		{"AssumeRolePolicyDocument", trust},
		{"ManagedPolicyArns", []any{omap{{"Fn::Sub", basicExecution}}}},
		{"Policies", []omap{{{"PolicyName", "write-documents"}, {"PolicyDocument", writeDocuments}}}},
	}, false)
	c.add(writerID, "AWS::Lambda::Function", omap{
		{"Description", "Writes the key policy or bucket ACL of s3grant grant " + c.p.GrantID + "."},
		{"Runtime", "python3.12"},
		{"Handler", "index.handler"},
		{"Timeout", 60},
		{"Role", omap{{"Fn::GetAtt", []string{writerRoleID, "Arn"}}}},
		{"Code", omap{{"ZipFile", writerCode}}},
	}, false)
}
