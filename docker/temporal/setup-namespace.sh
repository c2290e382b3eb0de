#!/bin/sh
# One-shot (temporalio/admin-tools), once the server answers: the namespace and the platform's
# search attributes (workflows/contract.ts CASE_SEARCH_ATTRIBUTES; `npm run api` registers the same
# at start). Safe to run at every start: what exists is left alone; an attribute that exists with
# another type stops the job, naming it.
set -eu
: "${TEMPORAL_ADDRESS:?}"
NAMESPACE="${DEFAULT_NAMESPACE:-default}"
ATTEMPTS="${TEMPORAL_HEALTH_CHECK_MAX_ATTEMPTS:-60}"

attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then echo "Temporal at $TEMPORAL_ADDRESS is not healthy after $ATTEMPTS attempts"; exit 1; fi
  attempt=$((attempt + 1))
  sleep 2
done
echo "Temporal at $TEMPORAL_ADDRESS is serving"

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention 30d
  echo "namespace $NAMESPACE created"
fi

# Name:Type. SQL visibility (postgres12) holds at most 10 Keyword, 3 Bool and 3 Datetime custom attributes.
ATTRIBUTES="CaseType:Keyword CaseStage:Keyword MerchantId:Keyword CaseStatus:Keyword CaseLate:Bool Escalated:Bool Assignee:Keyword OrderId:Keyword SolutionDueAt:Datetime"
# The list as JSON: {"customAttributes": {"CaseType": "INDEXED_VALUE_TYPE_KEYWORD" (or "Keyword"), …}, …}.
existing=$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --output json | tr -d ' \n')
normal() { echo "$1" | tr '[:lower:]' '[:upper:]' | sed -e 's/^INDEXED_VALUE_TYPE_//' -e 's/_//g'; }
for pair in $ATTRIBUTES; do
  name=${pair%%:*}
  type=${pair#*:}
  have=$(printf '%s' "$existing" | grep -o "\"$name\":\"[A-Za-z_]*\"" | head -n 1 | cut -d'"' -f4 || true)
  if [ -z "$have" ]; then
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
    echo "search attribute $name ($type) created"
  elif [ "$(normal "$have")" != "$(normal "$type")" ]; then
    echo "search attribute $name exists with type $have, wanted $type"
    exit 1
  fi
done
echo "namespace $NAMESPACE and its search attributes are ready"
