package sandbox

import (
	"net/http"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// keyPolicyCheck is what KMS accepts in a key policy: principals that
// exist, kms: actions, within 32 KB.
func keyPolicyCheck() policyCheck {
	return policyCheck{kind: policy.KindKeyPolicy, needPrincipal: true, actionPrefix: []string{"kms:"}}
}

func (c *call) kmsCreateKey(in kmsIn) *apiError {
	if in.KeySpec != "" && in.KeySpec != "SYMMETRIC_DEFAULT" {
		return notImplemented("KMS", "CreateKey with KeySpec "+in.KeySpec)
	}
	if in.KeyUsage != "" && in.KeyUsage != "ENCRYPT_DECRYPT" {
		return notImplemented("KMS", "CreateKey with KeyUsage "+in.KeyUsage)
	}
	if err := c.requireIAM("kms:CreateKey", "*"); err != nil {
		return err
	}
	doc := in.Policy
	if doc == "" {
		doc = defaultKeyPolicy(c.caller.Account)
	} else if err := c.checkKeyPolicy(doc, "", c.caller.Account, in.BypassPolicyLockoutSafetyCheck); err != nil {
		return err
	}
	acct := c.sb.st.Accounts[c.caller.Account]
	k := &Key{
		ID: uuid(), Description: in.Description, Policy: doc,
		Created: c.now, Material: randomBytes(32), Enabled: true,
	}
	acct.KMSKeys[k.ID] = k
	c.dirty = true
	return c.writeJSON(map[string]any{"KeyMetadata": keyMetadata(k, keyARN(acct.ID, acct.Region, k.ID), acct.ID)})
}

// checkKeyPolicy validates a key policy and applies KMS's lockout safety
// check: the caller must still be allowed kms:PutKeyPolicy under it.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
func (c *call) checkKeyPolicy(doc, arn, account string, bypass bool) *apiError {
	p, msg := c.sb.validatePolicy(doc, keyPolicyCheck())
	if msg != "" {
		return errf(http.StatusBadRequest, "MalformedPolicyDocumentException", "%s", msg)
	}
	if bypass {
		return nil
	}
	if arn == "" {
		arn = keyARN(account, c.sb.regionOf(account), "00000000-0000-0000-0000-000000000000")
	}
	newPolicy := &policy.Doc{Name: "the new key policy", Kind: policy.KindKeyPolicy, Policy: p}
	res := c.evaluate("kms:PutKeyPolicy", arn, account, newPolicy, nil)
	if !res.Allowed() {
		e := errf(http.StatusBadRequest, "MalformedPolicyDocumentException",
			"The new key policy will not allow you to update the key policy in the future.")
		e.Reasons = res.Reasons
		return e
	}
	return nil
}

func (c *call) kmsPutKeyPolicy(in kmsIn, k *Key, arn, account string) *apiError {
	if err := c.kmsAuthorize("kms:PutKeyPolicy", k, arn, account, false); err != nil {
		return err
	}
	if k.AWSManaged {
		return errf(http.StatusBadRequest, "AccessDeniedException",
			"the key policy of an AWS managed key cannot be changed")
	}
	if in.PolicyName != "" && in.PolicyName != "default" {
		return errf(http.StatusBadRequest, "ValidationException", "PolicyName must be default")
	}
	if err := c.checkKeyPolicy(in.Policy, arn, account, in.BypassPolicyLockoutSafetyCheck); err != nil {
		return err
	}
	k.Policy = in.Policy
	c.dirty = true
	return c.writeJSON(map[string]any{})
}

func (c *call) kmsListKeys() *apiError {
	if err := c.requireIAM("kms:ListKeys", "*"); err != nil {
		return err
	}
	acct := c.sb.st.Accounts[c.caller.Account]
	keys := []map[string]string{}
	for _, id := range sortedKeys(acct.KMSKeys) {
		keys = append(keys, map[string]string{"KeyId": id, "KeyArn": keyARN(acct.ID, acct.Region, id)})
	}
	return c.writeJSON(map[string]any{"Keys": keys, "Truncated": false})
}

func (c *call) kmsListAliases() *apiError {
	if err := c.requireIAM("kms:ListAliases", "*"); err != nil {
		return err
	}
	acct := c.sb.st.Accounts[c.caller.Account]
	aliases := []map[string]string{}
	for _, name := range sortedKeys(acct.KMSAliases) {
		aliasARN := arn.ARN{Partition: partition, Service: "kms", Region: acct.Region, Account: acct.ID, Resource: name}
		aliases = append(aliases, map[string]string{
			"AliasName": name, "TargetKeyId": acct.KMSAliases[name], "AliasArn": aliasARN.String(),
		})
	}
	return c.writeJSON(map[string]any{"Aliases": aliases, "Truncated": false})
}

var aliasPattern = boundedPattern{lazyRegexp(`^alias/[a-zA-Z0-9/_-]+$`), len("alias/") + 250}

func (c *call) kmsCreateAlias(in kmsIn) *apiError {
	if !aliasPattern.MatchString(in.AliasName) || strings.HasPrefix(in.AliasName, "alias/aws/") {
		return errf(http.StatusBadRequest, "ValidationException",
			"AliasName must look like alias/NAME (not alias/aws/...), got %q", in.AliasName)
	}
	k, arn, account, err := c.kmsKey(in.TargetKeyID)
	if err != nil {
		return err
	}
	if account != c.caller.Account {
		return errf(http.StatusBadRequest, "AccessDeniedException", "an alias must point to a key of its own account")
	}
	if err := c.kmsAuthorize("kms:CreateAlias", k, arn, account, false); err != nil {
		return err
	}
	acct := c.sb.st.Accounts[account]
	if _, ok := acct.KMSAliases[in.AliasName]; ok {
		return errf(http.StatusBadRequest, "AlreadyExistsException",
			"An alias with the name %s already exists", in.AliasName)
	}
	acct.KMSAliases[in.AliasName] = k.ID
	c.dirty = true
	return c.writeJSON(map[string]any{})
}

func (c *call) kmsDeleteAlias(in kmsIn) *apiError {
	acct := c.sb.st.Accounts[c.caller.Account]
	id, ok := acct.KMSAliases[in.AliasName]
	if !ok {
		return errf(http.StatusBadRequest, "NotFoundException", "Alias %s is not found", in.AliasName)
	}
	target := keyARN(acct.ID, acct.Region, id)
	if err := c.kmsAuthorize("kms:DeleteAlias", acct.KMSKeys[id], target, acct.ID, false); err != nil {
		return err
	}
	delete(acct.KMSAliases, in.AliasName)
	c.dirty = true
	return c.writeJSON(map[string]any{})
}
