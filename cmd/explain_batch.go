package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/policy"
)

// maxBatchLine bounds one request line of explain --batch: a request with
// its documents inline (AWS caps a bucket policy at 20 KB and a managed
// policy at 6 KB), with ample room.
const maxBatchLine = 1 << 20

// batchLineExample is the valid line the batch errors show.
const batchLineExample = `{"principal": "arn:aws:iam::222233334444:role/analytics", "action": "s3:GetObject", ` +
	`"resource": "arn:aws:s3:::analytics-exports/q1.csv", "resource_account": "111122223333"}`

// batchRequest is one line of explain --batch: the single form's flags with
// the documents inline.
type batchRequest struct {
	Principal         string              `json:"principal"`
	Action            string              `json:"action"`
	Resource          string              `json:"resource"`
	ResourceAccount   string              `json:"resource_account"`
	Bucket            string              `json:"bucket"`
	IdentityPolicies  []json.RawMessage   `json:"identity_policies"`
	ResourcePolicy    json.RawMessage     `json:"resource_policy"`
	AccessPointPolicy json.RawMessage     `json:"access_point_policy"`
	KeyPolicy         json.RawMessage     `json:"key_policy"`
	KMSKey            string              `json:"kms_key"`
	Context           map[string]strOrAll `json:"context"`
}

// strOrAll is a context value: one string or a list of them.
type strOrAll []string

func (s *strOrAll) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = strOrAll{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New(`a context value must be a string or a list of strings, ` +
			`e.g. {"aws:SourceIp": ["203.0.113.0/24"]}`)
	}
	*s = many
	return nil
}

type batchAnswer struct {
	Decision policy.Decision `json:"decision,omitempty"`
	Reasons  []policy.Reason `json:"reasons,omitempty"`
	Error    string          `json:"error,omitempty"`
}

// startBatch refuses the single form's request flags beside --batch: each
// line carries its own request.
func (o *explainOptions) startBatch(cmd *cobra.Command) error {
	for _, name := range []string{
		"principal", "action", "resource", "resource-account", "bucket", "identity-policy",
		"resource-policy", "access-point-policy", "key-policy", "kms-key", "bpa", "context", "output",
	} {
		if cmd.Flags().Changed(name) {
			return badInput(fmt.Errorf("%s: cannot be given with --batch, where each line holds its request, e.g. %s",
				name, batchLineExample))
		}
	}
	return o.runBatch()
}

// runBatch answers every line of the batch in order; a line that is not a
// valid request gets {"error": ...} and the command exits 2 at the end.
func (o *explainOptions) runBatch() error {
	r := o.app.In
	if o.batch != "-" {
		f, err := os.Open(o.batch)
		if err != nil {
			return badInput(fmt.Errorf("batch: %w", err))
		}
		defer f.Close()
		r = f
	}
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriterSize(o.app.Out, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	failed, n := 0, 0
	var cache preparedCache
	for {
		line, err := readBatchLine(in)
		if errors.Is(err, io.EOF) {
			break
		}
		n++
		ans := o.answer(line, err, &cache)
		if ans.Error != "" {
			failed++
			ans.Error = fmt.Sprintf("line %d: %s", n, ans.Error)
		}
		if err := enc.Encode(ans); err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return badInput(fmt.Errorf("batch: %d of %d lines were not valid requests (their answers hold the error)",
			failed, n))
	}
	return nil
}

var errLineTooLong = fmt.Errorf(
	"the line is longer than %d bytes: a request with its documents inline must fit in 1 MiB", maxBatchLine)

// readBatchLine reads one line without its newline; a line over
// maxBatchLine is skipped to its end and reported as errLineTooLong.
func readBatchLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= maxBatchLine+1 {
			line = append(line, chunk...)
		} else {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) == 0:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, err
		}
		return bytes.TrimRight(line, "\r\n"), nil
	}
}

func (o *explainOptions) answer(line []byte, readErr error, cache *preparedCache) batchAnswer {
	if readErr != nil {
		return batchAnswer{Error: readErr.Error()}
	}
	lo, in, err := o.batchInput(line)
	if err != nil {
		return batchAnswer{Error: err.Error()}
	}
	res, err := lo.decide(in, o.reasons, cache)
	if err != nil {
		return batchAnswer{Error: err.Error()}
	}
	ans := batchAnswer{Decision: res.Decision}
	if o.reasons {
		ans.Reasons = res.Reasons
		if ans.Reasons == nil {
			ans.Reasons = []policy.Reason{}
		}
	}
	return ans
}
