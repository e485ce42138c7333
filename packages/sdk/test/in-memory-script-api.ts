/**
 * An explicit in-memory Script API for unit tests of the job API and the runtime's pieces:
 * parameters from a map, artifacts kept as buffers, everything sent recorded.
 */
import { Readable } from 'node:stream';
import { NotFoundError, type ApprovalAnswer } from '@gibbon/contracts';
import type { ScriptApi } from '../src/client/script-api-client';
import type { ContainerRunAnswer, ContainerRunRequest, ScriptEvent } from '../src/client/types';
import type { BuildContext } from '../src/context';
import { testContext } from './context';

function succeeded(jobId: string, request: ContainerRunRequest): ContainerRunAnswer {
  const at = new Date().toISOString();
  return {
    jobId,
    status: 'success',
    exitCode: 0,
    startedAt: at,
    finishedAt: at,
    attempt: request.attempt ?? 1,
    message: null,
  };
}

export class InMemoryScriptApi implements ScriptApi {
  readonly masks: string[] = [];
  readonly events: ScriptEvent[] = [];
  readonly logs: { jobId: string; lines: readonly string[] }[] = [];
  readonly runs: { jobId: string; request: ContainerRunRequest }[] = [];
  readonly artifacts = new Map<string, Buffer>();
  /** Decisions on jobs marked approval, as a person would make them; the rest stay pending. */
  readonly decisions = new Map<string, ApprovalAnswer>();
  readonly approvalRequests: string[] = [];

  constructor(
    private readonly paramValues: Record<string, string> = {},
    private readonly context: BuildContext = testContext(),
    private readonly runAnswer: (
      jobId: string,
      request: ContainerRunRequest,
    ) => ContainerRunAnswer = succeeded,
  ) {}

  /** Every log line of one job, in order. */
  linesOf(jobId: string): string[] {
    return this.logs.filter((batch) => batch.jobId === jobId).flatMap((batch) => batch.lines);
  }

  getBuild(): Promise<BuildContext> {
    return Promise.resolve(this.context);
  }
  getParams(): Promise<Record<string, string>> {
    return Promise.resolve({ ...this.paramValues });
  }
  getParam(name: string): Promise<string | undefined> {
    return Promise.resolve(this.paramValues[name]);
  }
  addMask(value: string): Promise<void> {
    this.masks.push(value);
    return Promise.resolve();
  }
  runContainerJob(jobId: string, request: ContainerRunRequest): Promise<ContainerRunAnswer> {
    this.runs.push({ jobId, request });
    return Promise.resolve(this.runAnswer(jobId, request));
  }
  postEvent(event: ScriptEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
  appendLogs(jobId: string, lines: readonly string[]): Promise<void> {
    this.logs.push({ jobId, lines });
    return Promise.resolve();
  }
  async uploadArtifact(id: string, archive: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    this.artifacts.set(id, Buffer.concat(chunks));
  }
  downloadArtifact(id: string): Promise<Readable> {
    const stored = this.artifacts.get(id);
    if (!stored) return Promise.reject(new NotFoundError(`No artifact "${id}" in this build.`));
    return Promise.resolve(Readable.from([stored]));
  }
  /** Answers a decision once there is one; `pending` after a short wait otherwise. */
  async getApproval(jobId: string): Promise<ApprovalAnswer> {
    this.approvalRequests.push(jobId);
    const decided = this.decisions.get(jobId);
    if (decided) return decided;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { decision: 'pending' };
  }
}
