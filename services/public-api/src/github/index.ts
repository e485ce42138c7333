/**
 * The GitHub side of public-api: checking and reading webhook deliveries, and reporting build
 * statuses back to commits. Nothing here touches the database; the webhook route and the
 * status sender (statuses/) wire these in (see README.md in this folder).
 */
export { GITHUB_SIGNATURE_HEADER, verifyGithubSignature } from './signature';
export { interpretDelivery, type DeliveryInput } from './deliveries';
export { readGithubDelivery, type RawDelivery, type ReadDelivery } from './read-delivery';
export type { DeliveryOutcome } from './delivery-outcome';
export {
  evaluateTriggerRules,
  manualTriggerVerdict,
  scheduleTriggerVerdict,
  SKIP_MARKERS,
  type TriggerVerdict,
} from './trigger-rules';
export {
  contentKeyOf,
  type BuildTrigger,
  type PullRequestFacts,
  type TriggerEvent,
} from './build-trigger';
export {
  COMMIT_STATUS_CONTEXT,
  logFieldsOf,
  problemOf,
  statusBodyOf,
  statusUrlOf,
  type CommitStatusUpdate,
} from './commit-status-update';
export { attemptStatus } from './status-delivery';
export { githubStateOf, type GithubCommitState } from './commit-state';
export {
  DEFAULT_RETRY_POLICY,
  delayBeforeRetry,
  type AttemptVerdict,
  type RetryPolicy,
} from './retry-policy';
export {
  createFetchStatusTransport,
  type StatusRequest,
  type StatusResponse,
  type StatusTransport,
} from './status-transport';
