import type { z } from 'zod';
import type { RunnerApiComponents, ScriptApiComponents, PublicApiComponents } from './api-types';
import { orgEventSchema, runnerEventSchema, scriptEventSchema } from './events';
import type { OrgEvent, RunnerEvent, ScriptEvent } from './events';
import { loadOpenApiDocument } from './openapi-documents';
import type { OpenApiDocumentName } from './openapi-documents';
import { schemaValidatorFor } from '../test/schema-validator';

// Compile-time half of the agreement: `pnpm typecheck` fails when the zod types and the
// generated OpenAPI types of the same message drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<ScriptEvent, ScriptApiComponents['schemas']['ScriptEvent']>,
  Same<RunnerEvent, RunnerApiComponents['schemas']['RunnerEvent']>,
  Same<OrgEvent, PublicApiComponents['schemas']['OrgEvent']>,
] = [true, true, true];

const at = '2026-11-27T18:00:00.000Z';
const git = {
  commit: 'a'.repeat(40),
  message: 'Fix the build',
  author: { name: 'Ada', email: 'ada@example.org' },
  changedFiles: ['src/index.ts'],
};

interface Sample {
  why: string;
  value: unknown;
  valid: boolean;
}

const jobSamples: Sample[] = [
  {
    why: 'job.pending',
    value: { type: 'job.pending', jobId: 'test', kind: 'container', dependsOn: ['build'], at },
    valid: true,
  },
  { why: 'job.queued', value: { type: 'job.queued', jobId: 'test', at }, valid: true },
  {
    why: 'an unknown job kind',
    value: { type: 'job.pending', jobId: 'test', kind: 'vm', dependsOn: [], at },
    valid: false,
  },
  {
    why: 'attempt 0',
    value: { type: 'job.started', jobId: 'test', attempt: 0, at },
    valid: false,
  },
  {
    why: 'job.ended without attempts',
    value: { type: 'job.ended', jobId: 'test', status: 'success', at },
    valid: false,
  },
  {
    why: 'job.started',
    value: { type: 'job.started', jobId: 'test', attempt: 1, at },
    valid: true,
  },
  {
    why: 'job.ended with exit code and message',
    value: {
      type: 'job.ended',
      jobId: 'test',
      status: 'failure',
      attempts: 1,
      exitCode: 2,
      message: 'npm test failed',
      at,
    },
    valid: true,
  },
  {
    why: 'job.ended skipped',
    value: { type: 'job.ended', jobId: 'deploy', status: 'skipped', attempts: 0, at },
    valid: true,
  },
  {
    why: 'an unfinished end status',
    value: { type: 'job.ended', jobId: 'test', status: 'running', attempts: 1, at },
    valid: false,
  },
  {
    why: 'an unknown field',
    value: { type: 'job.started', jobId: 'test', attempt: 1, at, pid: 1 },
    valid: false,
  },
  {
    why: 'a traversal job id',
    value: { type: 'job.started', jobId: '../etc', attempt: 1, at },
    valid: false,
  },
  {
    why: 'a job id with a newline',
    value: { type: 'job.started', jobId: 'a\nb', attempt: 1, at },
    valid: false,
  },
  { why: 'no timestamp', value: { type: 'job.started', jobId: 'test', attempt: 1 }, valid: false },
  {
    why: 'a date without time',
    value: { type: 'job.started', jobId: 'test', attempt: 1, at: '2026-11-27' },
    valid: false,
  },
  {
    why: 'a fractional exit code',
    value: { type: 'job.ended', jobId: 't', status: 'error', attempts: 1, exitCode: 1.5, at },
    valid: false,
  },
  { why: 'an unknown type', value: { type: 'job.exploded', jobId: 'test', at }, valid: false },
];

const cases: {
  union: string;
  document: OpenApiDocumentName;
  zod: z.ZodType;
  samples: Sample[];
}[] = [
  {
    union: 'ScriptEvent',
    document: 'script-api',
    zod: scriptEventSchema,
    samples: [
      ...jobSamples,
      { why: 'script.ended', value: { type: 'script.ended', status: 'failure', at }, valid: true },
      {
        why: 'script.ended timed_out',
        value: { type: 'script.ended', status: 'timed_out', at },
        valid: false,
      },
      {
        why: 'a runner event from a script',
        value: { type: 'build.started', git, at },
        valid: false,
      },
    ],
  },
  {
    union: 'RunnerEvent',
    document: 'runner-api',
    zod: runnerEventSchema,
    samples: [
      ...jobSamples,
      { why: 'build.started', value: { type: 'build.started', git, at }, valid: true },
      {
        why: 'build.started with a short commit id',
        value: { type: 'build.started', git: { ...git, commit: 'abc1234' }, at },
        valid: false,
      },
      {
        why: 'build.started without its checkout',
        value: { type: 'build.started', at },
        valid: false,
      },
      {
        why: 'build.ended',
        value: { type: 'build.ended', status: 'timed_out', message: 'after 3600 s', at },
        valid: true,
      },
      {
        why: 'build.ended queued',
        value: { type: 'build.ended', status: 'queued', at },
        valid: false,
      },
      {
        why: 'a script event to public-api',
        value: { type: 'script.ended', status: 'success', at },
        valid: false,
      },
      {
        why: 'an oversized message',
        value: { type: 'build.ended', status: 'error', message: 'x'.repeat(4097), at },
        valid: false,
      },
    ],
  },
  {
    union: 'OrgEvent',
    document: 'public-api',
    zod: orgEventSchema,
    samples: [
      {
        why: 'build.status',
        value: {
          type: 'build.status',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          status: 'running',
          at,
        },
        valid: true,
      },
      {
        why: 'job.status',
        value: {
          type: 'job.status',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          jobId: 'test',
          status: 'success',
          exitCode: 0,
          at,
        },
        valid: true,
      },
      {
        why: 'build.requeued',
        value: {
          type: 'build.requeued',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          runner: { id: 'r1', name: 'ci-1' },
          stoppedRespondingAt: at,
          attempt: 2,
          message: `runner ci-1 stopped responding at ${at}; build re-queued (attempt 2)`,
          at,
        },
        valid: true,
      },
      {
        why: 'build.requeued for a first attempt',
        value: {
          type: 'build.requeued',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          runner: { id: 'r1', name: 'ci-1' },
          stoppedRespondingAt: at,
          attempt: 1,
          message: 'm',
          at,
        },
        valid: false,
      },
      {
        why: 'build.requeued without its runner',
        value: {
          type: 'build.requeued',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          stoppedRespondingAt: at,
          attempt: 2,
          message: 'm',
          at,
        },
        valid: false,
      },
      {
        why: 'job.status of a job that never ran',
        value: {
          type: 'job.status',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          jobId: 'test',
          status: 'skipped',
          exitCode: null,
          at,
        },
        valid: true,
      },
      {
        why: 'job.status without exitCode',
        value: {
          type: 'job.status',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          jobId: 'test',
          status: 'queued',
          at,
        },
        valid: false,
      },
      {
        why: 'an upper-case org',
        value: {
          type: 'build.status',
          org: 'Acme',
          repo: 'web',
          buildId: 'b1',
          number: 3,
          status: 'running',
          at,
        },
        valid: false,
      },
      {
        why: 'build number 0',
        value: {
          type: 'build.status',
          org: 'acme',
          repo: 'web',
          buildId: 'b1',
          number: 0,
          status: 'running',
          at,
        },
        valid: false,
      },
    ],
  },
];

describe.each(cases)(
  '$union: zod and the $document document agree',
  ({ union, document, zod, samples }) => {
    const validate = schemaValidatorFor(loadOpenApiDocument(document));

    it.each(samples)('$why', ({ value, valid }) => {
      const openApi = validate(union, value);
      expect({ zod: zod.safeParse(value).success, openApi: openApi.valid }).toEqual({
        zod: valid,
        openApi: valid,
      });
    });

    it('has the same event types in both', () => {
      const openApi = loadOpenApiDocument(document).components!.schemas![union] as {
        discriminator: { mapping: Record<string, string> };
      };
      const zodTypes = (
        zod as unknown as { options: { shape: { type: { value: string } } }[] }
      ).options.map((option) => option.shape.type.value);
      expect(zodTypes.sort()).toEqual(Object.keys(openApi.discriminator.mapping).sort());
    });
  },
);

it('checks the types at compile time', () => {
  expect(typesAgree).toEqual([true, true, true]);
});
