package export

// cliHelpers are the shell functions every exported script starts with. They
// keep each step to a read, a decision and a write, and make a re-run safe:
// a document that already is what the plan writes is skipped, and one that
// is neither that nor what the plan found stops the script (someone changed
// it since, and writing would lose their change). A message too long for one
// source line is joined with + here; the script gets it on one line.
const cliHelpers = `die() { echo "error: $*" >&2; exit 1; }
for tool in aws jq; do
  command -v "$tool" >/dev/null || die "$tool is needed: install it and re-run"
done
export AWS_PAGER=""
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# check_account PROFILE ACCOUNT: the profile must be the account the steps
# are for, so a wrong profile cannot write to another account.
check_account() {
  local got
  got=$(aws --profile "$1" sts get-caller-identity --query Account --output text) ||
    die "profile $1: sts get-caller-identity failed (is the profile configured?)"
  [ "$got" = "$2" ] || die "profile $1 is account $got, ` +
	`but these steps are for account $2: set the profile variable above"
}

# read_current MISSING_CODE COMMAND...: prints the document COMMAND reads, or
# nothing when AWS answers MISSING_CODE (it does not exist). Any other error
# stops the script.
read_current() {
  local missing=$1 out
  shift
  if out=$("$@" 2>"$WORK/err"); then
    printf '%s' "$out"
    return 0
  fi
  grep -q "$missing" "$WORK/err" && return 0
  cat "$WORK/err" >&2
  die "could not read the current document: $*"
}

# same_json A B [FILTER]: A and B are the same document once FILTER (default:
# the identity) is applied, whatever their layout and key order.
same_json() {
  local filter=${3:-.}
  [ "$(jq -S -c "$filter" <<<"$1")" = "$(jq -S -c "$filter" <<<"$2")" ]
}

# should_write STEP CURRENT EXISTING_FILE MERGED_FILE [FILTER]: returns 0 when
# the step must write, 1 when the document already is what the plan writes.
# EXISTING_FILE is what the plan found ("" = nothing). Anything else stops.
should_write() {
  local step=$1 current=$2 existing=$3 merged=$4 filter=${5:-.}
  if [ -n "$current" ] && same_json "$current" "$(cat "$merged")" "$filter"; then
    echo "step $step: already done, skipping"
    return 1
  fi
  if [ -z "$existing" ]; then
    [ -z "$current" ] && return 0
    die "step $step: a document exists that the plan did not see, and writing would replace it: ` +
	`re-run s3grant plan --live and export again so it is merged"
  fi
  if [ -n "$current" ] && same_json "$current" "$(cat "$existing")" "$filter"; then
    return 0
  fi
  die "step $step: the document changed since the plan was made, and writing would lose that change: ` +
	`re-run s3grant plan"
}
`

// aclNorm is the jq filter that compares ACLs by owner and grants, ignoring
// display names and order.
const aclNorm = `'{Owner: .Owner.ID, Grants: ([.Grants[] | ` +
	`{Type: .Grantee.Type, ID: (.Grantee.ID // ""), URI: (.Grantee.URI // ""), Permission}] | sort)}'`
