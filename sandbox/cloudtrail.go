package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Trail is a CloudTrail trail: enough for `s3grant audit` to see whether
// S3 data events of a bucket are recorded, and for a user to set that up.
// The sandbox records no events: it keeps the configuration only.
type Trail struct {
	Name        string `json:"name"`
	HomeRegion  string `json:"home_region"`
	Bucket      string `json:"s3_bucket"`
	MultiRegion bool   `json:"multi_region"`
	Logging     bool   `json:"logging"`
	// The selectors as the API takes and gives them (one kind at a time).
	EventSelectors         json.RawMessage `json:"event_selectors,omitempty"`
	AdvancedEventSelectors json.RawMessage `json:"advanced_event_selectors,omitempty"`
}

// trailIn is every CloudTrail request field the sandbox reads.
type trailIn struct {
	Name                   string          `json:"Name"`
	TrailName              string          `json:"TrailName"`
	S3BucketName           string          `json:"S3BucketName"`
	IsMultiRegionTrail     bool            `json:"IsMultiRegionTrail"`
	TrailNameList          []string        `json:"trailNameList"`
	EventSelectors         json.RawMessage `json:"EventSelectors"`
	AdvancedEventSelectors json.RawMessage `json:"AdvancedEventSelectors"`
}

// cloudTrailTarget is in every CloudTrail X-Amz-Target: the SDKs send
// CloudTrail_20131101.OPERATION, the AWS CLI
// com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.OPERATION.
const cloudTrailTarget = "CloudTrail_20131101."

func isCloudTrail(target string) bool { return strings.Contains(target, cloudTrailTarget) }

// serveCloudTrail answers the CloudTrail JSON 1.1 protocol: the
// calls `s3grant audit` makes (DescribeTrails, GetTrailStatus,
// GetEventSelectors) and the ones that set a trail up.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Operations.html
func (c *call) serveCloudTrail() *apiError {
	target := c.r.Header.Get("X-Amz-Target")
	op := target[strings.Index(target, cloudTrailTarget)+len(cloudTrailTarget):]
	var in trailIn
	if len(c.body) > 0 {
		if err := json.Unmarshal(c.body, &in); err != nil {
			return errf(http.StatusBadRequest, "SerializationException", "the request body is not valid JSON: %v", err)
		}
	}
	if in.Name == "" {
		in.Name = in.TrailName
	}
	switch op {
	case "CreateTrail":
		return c.createTrail(in)
	case "DescribeTrails":
		return c.describeTrails(in)
	}
	tr, trailARN, err := c.trail(in.Name)
	if err != nil {
		return err
	}
	if err := c.requireIAM("cloudtrail:"+op, trailARN); err != nil {
		return err
	}
	switch op {
	case "GetTrailStatus":
		return c.writeJSON(map[string]any{"IsLogging": tr.Logging})
	case "StartLogging", "StopLogging":
		tr.Logging, c.dirty = op == "StartLogging", true
		return c.writeJSON(map[string]any{})
	case "GetEventSelectors":
		return c.writeJSON(selectorsOut(tr, trailARN))
	case "PutEventSelectors":
		return c.putEventSelectors(tr, trailARN, in)
	case "DeleteTrail":
		delete(c.sb.st.Accounts[c.caller.Account].Trails, tr.Name)
		c.dirty = true
		return c.writeJSON(map[string]any{})
	}
	return notImplemented("CloudTrail", op)
}

func (c *call) region() string {
	if c.sig != nil && c.sig.Region != "" {
		return c.sig.Region
	}
	return Region
}

func trailARNOf(region, account, name string) string {
	return "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/" + name
}

// trail finds the caller's trail by name or ARN.
func (c *call) trail(name string) (*Trail, string, *apiError) {
	if i := strings.LastIndex(name, ":trail/"); i >= 0 {
		name = name[i+len(":trail/"):]
	}
	if a := c.sb.st.Accounts[c.caller.Account]; a != nil && a.Trails[name] != nil {
		tr := a.Trails[name]
		return tr, trailARNOf(tr.HomeRegion, a.ID, tr.Name), nil
	}
	return nil, "", errf(http.StatusBadRequest, "TrailNotFoundException",
		"Unknown trail: %s for the user: %s", name, c.caller.Account)
}

func (c *call) createTrail(in trailIn) *apiError {
	a := c.sb.st.Accounts[c.caller.Account]
	arn := trailARNOf(c.region(), c.caller.Account, in.Name)
	if err := c.requireIAM("cloudtrail:CreateTrail", arn); err != nil {
		return err
	}
	switch {
	case in.Name == "" || len(in.Name) > 128:
		return errf(http.StatusBadRequest, "InvalidTrailNameException", "Trail name must be 3 to 128 characters")
	case a.Trails[in.Name] != nil:
		return errf(http.StatusBadRequest, "TrailAlreadyExistsException",
			"Trail %s already exists for customer: %s", in.Name, a.ID)
	case c.sb.st.Buckets[in.S3BucketName] == nil:
		return errf(http.StatusBadRequest, "S3BucketDoesNotExistException",
			"S3 bucket %s does not exist.", in.S3BucketName)
	}
	if a.Trails == nil {
		a.Trails = map[string]*Trail{}
	}
	tr := &Trail{Name: in.Name, HomeRegion: c.region(), Bucket: in.S3BucketName, MultiRegion: in.IsMultiRegionTrail}
	a.Trails[in.Name] = tr
	c.dirty = true
	return c.writeJSON(trailOut(tr, arn))
}

// describeTrails lists the trails that apply in the request's region: its
// own and multi-region ones (shadow trails), as DescribeTrails does.
func (c *call) describeTrails(in trailIn) *apiError {
	a := c.sb.st.Accounts[c.caller.Account]
	if err := c.requireIAM("cloudtrail:DescribeTrails", trailARNOf(c.region(), a.ID, "*")); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, n := range in.TrailNameList {
		if i := strings.LastIndex(n, ":trail/"); i >= 0 {
			n = n[i+len(":trail/"):]
		}
		want[n] = true
	}
	list := []map[string]any{}
	for _, name := range sortedKeys(a.Trails) {
		tr := a.Trails[name]
		if (tr.HomeRegion == c.region() || tr.MultiRegion) && (len(want) == 0 || want[name]) {
			list = append(list, trailOut(tr, trailARNOf(tr.HomeRegion, a.ID, tr.Name)))
		}
	}
	return c.writeJSON(map[string]any{"trailList": list})
}

func trailOut(tr *Trail, arn string) map[string]any {
	return map[string]any{
		"Name": tr.Name, "TrailARN": arn, "HomeRegion": tr.HomeRegion, "S3BucketName": tr.Bucket,
		"IsMultiRegionTrail": tr.MultiRegion, "IncludeGlobalServiceEvents": true, "IsOrganizationTrail": false,
		"LogFileValidationEnabled": false, "HasInsightSelectors": false,
		"HasCustomEventSelectors": len(tr.EventSelectors) > 0 || len(tr.AdvancedEventSelectors) > 0,
	}
}

// selectorsOut is GetEventSelectors' answer: a new trail logs management
// events, read and write (the default selector).
func selectorsOut(tr *Trail, arn string) map[string]any {
	out := map[string]any{"TrailARN": arn}
	switch {
	case len(tr.AdvancedEventSelectors) > 0:
		out["AdvancedEventSelectors"] = tr.AdvancedEventSelectors
	case len(tr.EventSelectors) > 0:
		out["EventSelectors"] = tr.EventSelectors
	default:
		out["EventSelectors"] = []map[string]any{{
			"ReadWriteType": "All", "IncludeManagementEvents": true,
			"DataResources": []any{}, "ExcludeManagementEventSources": []any{},
		}}
	}
	return out
}

// putEventSelectors replaces the trail's selectors with basic or advanced
// ones, never both (InvalidParameterCombinationException, as CloudTrail).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
func (c *call) putEventSelectors(tr *Trail, arn string, in trailIn) *apiError {
	basic := len(in.EventSelectors) > 0 && string(in.EventSelectors) != "null"
	adv := len(in.AdvancedEventSelectors) > 0 && string(in.AdvancedEventSelectors) != "null"
	if basic == adv {
		return errf(http.StatusBadRequest, "InvalidParameterCombinationException",
			"Specify either EventSelectors or AdvancedEventSelectors, not both and not neither")
	}
	var list []json.RawMessage
	raw := in.EventSelectors
	if adv {
		raw = in.AdvancedEventSelectors
	}
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 || len(list) > 5 && basic {
		return errf(http.StatusBadRequest, "InvalidEventSelectorsException",
			"event selectors must be a list of 1 to 5 selectors (advanced: up to 500 conditions in all)")
	}
	tr.EventSelectors, tr.AdvancedEventSelectors = nil, nil
	if adv {
		tr.AdvancedEventSelectors = raw
	} else {
		tr.EventSelectors = raw
	}
	c.dirty = true
	return c.writeJSON(selectorsOut(tr, arn))
}
