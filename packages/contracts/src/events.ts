/**
 * The messages of a build's timeline that are not plain request/answer pairs, as zod schemas
 * (validated at every boundary) and the TypeScript types inferred from them:
 *
 * - script → runner (`POST /v1/events` of the Script API): `ScriptEvent`;
 * - runner → public-api (`POST /v1/runner/builds/{id}/events`): `RunnerEvent`;
 * - public-api → SSE clients (`GET /v1/orgs/{org}/events`): `OrgEvent`.
 *
 * The OpenAPI documents describe the same messages under the same names (`JobEndedEvent`, ...);
 * a contract test feeds samples to both and expects the same verdict.
 */
import { z } from 'zod';
import {
  COMMIT_SHA_PATTERN,
  ID_PATTERN,
  JOB_ID_PATTERN,
  JOB_OUTPUT_NAME_PATTERN,
  SLUG_PATTERN,
} from './patterns';
import {
  BUILD_STATUSES,
  JOB_STATUSES,
  TERMINAL_BUILD_STATUSES,
  TERMINAL_JOB_STATUSES,
} from './statuses';

const MESSAGE_MAX_LENGTH = 4096;

const timestamp = z.iso.datetime({ offset: true });
const jobId = z.string().regex(JOB_ID_PATTERN);
const slug = z.string().regex(SLUG_PATTERN);
const id = z.string().regex(ID_PATTERN);
const message = z.string().max(MESSAGE_MAX_LENGTH);

export const JOB_KINDS = ['container', 'action'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A job is retried at most 10 times, so attempts number 1 to 11. */
const MAX_ATTEMPTS = 11;

export const jobPendingEventSchema = z.strictObject({
  type: z.literal('job.pending'),
  jobId,
  kind: z.enum(JOB_KINDS),
  dependsOn: z.array(jobId).max(1000),
  at: timestamp,
});

/** The job's dependencies succeeded; it waits for a free slot of the build. */
export const jobQueuedEventSchema = z.strictObject({
  type: z.literal('job.queued'),
  jobId,
  at: timestamp,
});

/** One attempt of the job started; a retry sends it again with the next `attempt`. */
/**
 * The job is marked for manual approval and waits for a person's decision (approve or reject
 * through the public API); it holds no container and no slot of the build meanwhile.
 */
export const jobWaitingEventSchema = z.strictObject({
  type: z.literal('job.waiting'),
  jobId,
  at: timestamp,
});

export const jobStartedEventSchema = z.strictObject({
  type: z.literal('job.started'),
  jobId,
  attempt: z.int().min(1).max(MAX_ATTEMPTS),
  at: timestamp,
});

/** Names and values a job set: at most 100 names; the engine keeps the total under 64 KiB. */
export const jobOutputsSchema = z
  .record(z.string().regex(JOB_OUTPUT_NAME_PATTERN), z.string().max(65536))
  .refine((outputs) => Object.keys(outputs).length <= 100, 'at most 100 outputs');

export const jobEndedEventSchema = z.strictObject({
  type: z.literal('job.ended'),
  jobId,
  status: z.enum(TERMINAL_JOB_STATUSES),
  /** 0 when the job never started (skipped, or canceled while it waited). */
  attempts: z.int().min(0).max(MAX_ATTEMPTS),
  exitCode: z.int().optional(),
  message: message.optional(),
  outputs: jobOutputsSchema.optional(),
  at: timestamp,
});

/** The script's own verdict once its job graph has run; the runner decides the build's status. */
export const scriptEndedEventSchema = z.strictObject({
  type: z.literal('script.ended'),
  status: z.enum(['success', 'failure', 'error', 'canceled']),
  message: message.optional(),
  at: timestamp,
});

/** What the checkout learned about the commit (a branch or tag build learns its commit here). */
export const checkedOutCommitSchema = z.strictObject({
  commit: z.string().regex(COMMIT_SHA_PATTERN),
  message: z.string().max(65536),
  author: z.strictObject({ name: z.string(), email: z.string() }),
  changedFiles: z.array(z.string().max(4096)).max(10000),
});

/** Sent after the checkout, so a build that fails to check out never sends it. */
export const buildStartedEventSchema = z.strictObject({
  type: z.literal('build.started'),
  git: checkedOutCommitSchema,
  at: timestamp,
});

export const buildEndedEventSchema = z.strictObject({
  type: z.literal('build.ended'),
  status: z.enum(TERMINAL_BUILD_STATUSES),
  message: message.optional(),
  at: timestamp,
});

export const scriptEventSchema = z.discriminatedUnion('type', [
  jobPendingEventSchema,
  jobQueuedEventSchema,
  jobWaitingEventSchema,
  jobStartedEventSchema,
  jobEndedEventSchema,
  scriptEndedEventSchema,
]);

export const runnerEventSchema = z.discriminatedUnion('type', [
  buildStartedEventSchema,
  jobPendingEventSchema,
  jobQueuedEventSchema,
  jobWaitingEventSchema,
  jobStartedEventSchema,
  jobEndedEventSchema,
  buildEndedEventSchema,
]);

export const buildStatusEventSchema = z.strictObject({
  type: z.literal('build.status'),
  org: slug,
  repo: slug,
  buildId: id,
  number: z.int().min(1),
  status: z.enum(BUILD_STATUSES),
  at: timestamp,
});

export const jobStatusEventSchema = z.strictObject({
  type: z.literal('job.status'),
  org: slug,
  repo: slug,
  buildId: id,
  number: z.int().min(1),
  jobId,
  status: z.enum(JOB_STATUSES),
  exitCode: z.int().nullable(),
  at: timestamp,
});

/**
 * A running build whose runner stopped renewing its lease went back to the queue: which
 * runner, when it was last heard from, and the attempt the build is queued for. `message` is
 * the line public-api also writes at the top of the build's `_script` log.
 */
export const buildRequeuedEventSchema = z.strictObject({
  type: z.literal('build.requeued'),
  org: slug,
  repo: slug,
  buildId: id,
  number: z.int().min(1),
  runner: z.strictObject({ id, name: z.string().min(1).max(100) }),
  stoppedRespondingAt: timestamp,
  attempt: z.int().min(2),
  message,
  at: timestamp,
});

export const orgEventSchema = z.discriminatedUnion('type', [
  buildStatusEventSchema,
  jobStatusEventSchema,
  buildRequeuedEventSchema,
]);

export type JobPendingEvent = z.infer<typeof jobPendingEventSchema>;
export type JobQueuedEvent = z.infer<typeof jobQueuedEventSchema>;
export type JobWaitingEvent = z.infer<typeof jobWaitingEventSchema>;
export type JobStartedEvent = z.infer<typeof jobStartedEventSchema>;
export type JobEndedEvent = z.infer<typeof jobEndedEventSchema>;
export type ScriptEndedEvent = z.infer<typeof scriptEndedEventSchema>;
export type CheckedOutCommit = z.infer<typeof checkedOutCommitSchema>;
export type BuildStartedEvent = z.infer<typeof buildStartedEventSchema>;
export type BuildEndedEvent = z.infer<typeof buildEndedEventSchema>;
export type ScriptEvent = z.infer<typeof scriptEventSchema>;
export type RunnerEvent = z.infer<typeof runnerEventSchema>;
export type BuildStatusEvent = z.infer<typeof buildStatusEventSchema>;
export type JobStatusEvent = z.infer<typeof jobStatusEventSchema>;
export type BuildRequeuedEvent = z.infer<typeof buildRequeuedEventSchema>;
export type OrgEvent = z.infer<typeof orgEventSchema>;

/** The `type` tags of each union, e.g. for an SSE `event:` field. */
export type ScriptEventType = ScriptEvent['type'];
export type RunnerEventType = RunnerEvent['type'];
export type OrgEventType = OrgEvent['type'];
