package sandbox

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/s3grant/s3grant/arn"
)

// resolveKey finds a key by ID, key ARN, alias name or alias ARN; bare IDs
// and alias names resolve in defaultAccount (as KMS resolves them in the
// caller's account). It returns the key and its ARN.
func (sb *Sandbox) resolveKey(id, defaultAccount, region string) (*Key, string) {
	account, ref := defaultAccount, id
	if strings.HasPrefix(id, "arn:") {
		a, ok := arn.Parse(id)
		if !ok || a.Service != "kms" {
			return nil, ""
		}
		region, account, ref = a.Region, a.Account, a.Resource
	}
	a := sb.st.Accounts[account]
	if a == nil {
		return nil, ""
	}
	if strings.HasPrefix(ref, "alias/") {
		ref = a.KMSAliases[ref]
	}
	ref = strings.TrimPrefix(ref, "key/")
	k := a.KMSKeys[ref]
	if k == nil {
		return nil, ""
	}
	if region == "" {
		region = a.Region
	}
	return k, keyARN(account, region, k.ID)
}

// findKey finds a key by its ARN.
func (sb *Sandbox) findKey(arn string) (*Key, string) {
	return sb.resolveKey(arn, "", "")
}

// awsManagedS3Key returns the account's aws/s3 key, creating it on first use
// as AWS does.
func (sb *Sandbox) awsManagedS3Key(account, region string, now time.Time) (*Key, string) {
	a := sb.st.Accounts[account]
	if a == nil {
		return nil, ""
	}
	if id, ok := a.KMSAliases["alias/aws/s3"]; ok && a.KMSKeys[id] != nil {
		return a.KMSKeys[id], keyARN(account, region, id)
	}
	k := &Key{
		ID: uuid(), AWSManaged: true,
		Description: "Default key that protects my S3 objects when no other key is defined",
		Policy:      awsManagedKeyPolicy(account), Created: now, Material: randomBytes(32), Enabled: true,
	}
	a.KMSKeys[k.ID] = k
	a.KMSAliases["alias/aws/s3"] = k.ID
	return k, keyARN(account, region, k.ID)
}

// awsManagedKeyPolicy is the policy of an aws/s3 key: principals of its
// account, through S3 only. It cannot be changed.
func awsManagedKeyPolicy(account string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Id":"auto-s3-2","Statement":[`+
		`{"Sid":"Allow access through S3 for all principals in the account that are authorized to use S3",`+
		`"Effect":"Allow","Principal":{"AWS":"*"},`+
		`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],`+
		`"Resource":"*",`+
		`"Condition":{"StringEquals":{"kms:CallerAccount":"%s","kms:ViaService":"s3.%s.amazonaws.com"}}},`+
		`{"Sid":"Allow direct access to key metadata to the account",`+
		`"Effect":"Allow","Principal":{"AWS":"%s"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]}`,
		account, Region, arn.Root(partition, account))
}

// ciphertextMagic starts every ciphertext blob the sandbox makes, followed
// by the account, the key ID, the nonce and the sealed bytes.
const ciphertextMagic = "S3GSBX1"

func aad(ctx map[string]string) []byte {
	if len(ctx) == 0 {
		return nil
	}
	b, _ := json.Marshal(ctx) // map keys marshal sorted: a stable AAD
	return b
}

func seal(account string, k *Key, plain []byte, ctx map[string]string) ([]byte, error) {
	gcm, err := keyAEAD(k)
	if err != nil {
		return nil, err
	}
	nonce := randomBytes(gcm.NonceSize())
	head := []byte(ciphertextMagic + account + k.ID)
	out := append(append(head, nonce...), gcm.Seal(nil, nonce, plain, aad(ctx))...)
	return out, nil
}

var errBadCiphertext = errors.New("the ciphertext is not one the sandbox's KMS made")

// blobKey reads the key's account and ID from a ciphertext blob.
func blobKey(blob []byte) (account, keyID string, err error) {
	n := len(ciphertextMagic)
	if len(blob) < n+12+36 || string(blob[:n]) != ciphertextMagic {
		return "", "", errBadCiphertext
	}
	return string(blob[n : n+12]), string(blob[n+12 : n+48]), nil
}

func open(k *Key, blob []byte, ctx map[string]string) ([]byte, error) {
	gcm, err := keyAEAD(k)
	if err != nil {
		return nil, err
	}
	rest := blob[len(ciphertextMagic)+48:]
	if len(rest) < gcm.NonceSize() {
		return nil, errBadCiphertext
	}
	plain, err := gcm.Open(nil, rest[:gcm.NonceSize()], rest[gcm.NonceSize():], aad(ctx))
	if err != nil {
		return nil, errBadCiphertext
	}
	return plain, nil
}

func keyAEAD(k *Key) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.Material)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
