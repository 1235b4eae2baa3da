package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// kmsIn is every KMS request field the sandbox reads.
type kmsIn struct {
	KeyID                          string            `json:"KeyId"`
	Policy                         string            `json:"Policy"`
	PolicyName                     string            `json:"PolicyName"`
	Description                    string            `json:"Description"`
	KeySpec                        string            `json:"KeySpec"`
	KeyUsage                       string            `json:"KeyUsage"`
	BypassPolicyLockoutSafetyCheck bool              `json:"BypassPolicyLockoutSafetyCheck"`
	Plaintext                      []byte            `json:"Plaintext"`
	CiphertextBlob                 []byte            `json:"CiphertextBlob"`
	EncryptionContext              map[string]string `json:"EncryptionContext"`
	NumberOfBytes                  int               `json:"NumberOfBytes"`
	AliasName                      string            `json:"AliasName"`
	TargetKeyID                    string            `json:"TargetKeyId"`
}

// serveKMS answers the KMS JSON 1.1 protocol (X-Amz-Target:
// TrentService.OPERATION).
func (c *call) serveKMS() *apiError {
	op := strings.TrimPrefix(c.r.Header.Get("X-Amz-Target"), "TrentService.")
	var in kmsIn
	if len(c.body) > 0 {
		if err := json.Unmarshal(c.body, &in); err != nil {
			return errf(http.StatusBadRequest, "SerializationException", "the request body is not valid JSON: %v", err)
		}
	}
	switch op {
	case "CreateKey":
		return c.kmsCreateKey(in)
	case "ListKeys":
		return c.kmsListKeys()
	case "ListAliases":
		return c.kmsListAliases()
	case "CreateAlias":
		return c.kmsCreateAlias(in)
	case "DeleteAlias":
		return c.kmsDeleteAlias(in)
	case "DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "ListKeyPolicies",
		"Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext":
		k, arn, account, err := c.kmsKey(in.KeyID)
		if err != nil {
			return err
		}
		return c.kmsKeyOp(op, in, k, arn, account)
	case "Decrypt":
		return c.kmsDecrypt(in)
	}
	return notImplemented("KMS", op)
}

func (c *call) kmsKeyOp(op string, in kmsIn, k *Key, arn, account string) *apiError {
	switch op {
	case "DescribeKey":
		if err := c.kmsAuthorize("kms:DescribeKey", k, arn, account, true); err != nil {
			return err
		}
		return c.writeJSON(map[string]any{"KeyMetadata": keyMetadata(k, arn, account)})
	case "GetKeyPolicy", "ListKeyPolicies":
		if err := c.kmsAuthorize("kms:"+op, k, arn, account, false); err != nil {
			return err
		}
		if op == "ListKeyPolicies" {
			return c.writeJSON(map[string]any{"PolicyNames": []string{"default"}, "Truncated": false})
		}
		if in.PolicyName != "" && in.PolicyName != "default" {
			return errf(http.StatusBadRequest, "NotFoundException",
				"the only key policy is named default, not %q", in.PolicyName)
		}
		return c.writeJSON(map[string]any{"Policy": k.Policy, "PolicyName": "default"})
	case "PutKeyPolicy":
		return c.kmsPutKeyPolicy(in, k, arn, account)
	case "Encrypt":
		if err := c.kmsAuthorize("kms:Encrypt", k, arn, account, true); err != nil {
			return err
		}
		blob, err := seal(account, k, in.Plaintext, in.EncryptionContext)
		if err != nil {
			return errf(http.StatusInternalServerError, "KMSInternalException", "%v", err)
		}
		return c.writeJSON(map[string]any{
			"CiphertextBlob": blob, "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
		})
	}
	return c.kmsGenerateDataKey(op, in, k, arn, account)
}

func (c *call) kmsGenerateDataKey(op string, in kmsIn, k *Key, arn, account string) *apiError {
	if err := c.kmsAuthorize("kms:"+op, k, arn, account, true); err != nil {
		return err
	}
	n := in.NumberOfBytes
	switch {
	case in.KeySpec == "AES_256" || (in.KeySpec == "" && n == 0):
		n = 32
	case in.KeySpec == "AES_128":
		n = 16
	case n < 1 || n > 1024:
		return errf(http.StatusBadRequest, "ValidationException",
			"give KeySpec AES_256 or AES_128, or NumberOfBytes from 1 to 1024")
	}
	plain := randomBytes(n)
	blob, err := seal(account, k, plain, in.EncryptionContext)
	if err != nil {
		return errf(http.StatusInternalServerError, "KMSInternalException", "%v", err)
	}
	out := map[string]any{"CiphertextBlob": blob, "KeyId": arn}
	if op == "GenerateDataKey" {
		out["Plaintext"] = plain
	}
	return c.writeJSON(out)
}

func (c *call) kmsDecrypt(in kmsIn) *apiError {
	account, id, err := blobKey(in.CiphertextBlob)
	if err != nil {
		return errf(http.StatusBadRequest, "InvalidCiphertextException", "%v", err)
	}
	k, arn, acct, aerr := c.kmsKey(keyARN(account, c.sb.regionOf(account), id))
	if aerr != nil {
		return aerr
	}
	if in.KeyID != "" {
		if want, _, _, _ := c.kmsKey(in.KeyID); want != k {
			return errf(http.StatusBadRequest, "IncorrectKeyException",
				"the ciphertext was not made with the KeyId given")
		}
	}
	if err := c.kmsAuthorize("kms:Decrypt", k, arn, acct, true); err != nil {
		return err
	}
	plain, err := open(k, in.CiphertextBlob, in.EncryptionContext)
	if err != nil {
		return errf(http.StatusBadRequest, "InvalidCiphertextException", "%v", err)
	}
	return c.writeJSON(map[string]any{"Plaintext": plain, "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
}

func (sb *Sandbox) regionOf(account string) string {
	if a := sb.st.Accounts[account]; a != nil {
		return a.Region
	}
	return Region
}

// kmsKey resolves a KeyId in the caller's account (or the account its ARN
// names).
func (c *call) kmsKey(id string) (*Key, string, string, *apiError) {
	if id == "" {
		return nil, "", "", errf(http.StatusBadRequest, "ValidationException", "KeyId is required")
	}
	k, arn := c.sb.resolveKey(id, c.caller.Account, c.sb.regionOf(c.caller.Account))
	if k == nil {
		return nil, "", "", errf(http.StatusBadRequest, "NotFoundException", "Key '%s' does not exist", id)
	}
	return k, arn, policy.ParsePrincipal(arn).Account, nil
}

// kmsAuthorize asks the evaluator: the key policy must allow (explicitly,
// or by delegating to the account's IAM), and across accounts the caller's
// identity policy too. Only usage and DescribeKey work across accounts.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func (c *call) kmsAuthorize(action string, k *Key, arn, account string, crossAccountOK bool) *apiError {
	if account != c.caller.Account && !crossAccountOK {
		return errf(http.StatusBadRequest, "AccessDeniedException",
			"%s cannot be called on a key of another account", action)
	}
	if !k.Enabled {
		return errf(http.StatusBadRequest, "DisabledException", "%s is disabled", arn)
	}
	doc := &policy.Doc{Name: "key policy " + arn, Kind: policy.KindKeyPolicy, Policy: c.sb.policies.parse(k.Policy)}
	ctx := policy.Context{}
	ctx.Set("kms:CallerAccount", c.caller.Account)
	res := c.evaluate(action, arn, account, doc, ctx)
	if res.Allowed() {
		return nil
	}
	return accessDenied("AccessDeniedException", http.StatusBadRequest, c.notAuthorized(action, arn), res)
}

func keyMetadata(k *Key, arn, account string) map[string]any {
	manager := "CUSTOMER"
	if k.AWSManaged {
		manager = "AWS"
	}
	state := "Enabled"
	if !k.Enabled {
		state = "Disabled"
	}
	return map[string]any{
		"AWSAccountId": account, "KeyId": k.ID, "Arn": arn, "CreationDate": float64(k.Created.Unix()),
		"Enabled": k.Enabled, "Description": k.Description, "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": state,
		"Origin": "AWS_KMS", "KeyManager": manager,
		"KeySpec": "SYMMETRIC_DEFAULT", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"EncryptionAlgorithms": []string{"SYMMETRIC_DEFAULT"}, "MultiRegion": false,
	}
}

func (c *call) writeJSON(v any) *apiError {
	c.w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	c.w.Header().Set("X-Amzn-RequestId", c.id)
	_ = json.NewEncoder(c.w).Encode(v)
	return nil
}
