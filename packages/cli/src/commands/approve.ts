import type { Job } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { repoRefOf } from '../api/config';
import { buildDetail } from '../api/format';
import { writeLine } from '../io';
import { buildNumberOf, clientOf, environmentHelp, printJson } from './api-support';
import type { Command } from './command';

/** What the job table says of a job marked approval, beside its status. */
export function approvalNote(job: Job, buildNumber: number): string | undefined {
  const approval = job.approval;
  if (!approval) return undefined;
  if (approval.decision === 'pending') {
    return job.status === 'waiting'
      ? `waiting for approval: gibbon approve ${buildNumber} ${job.id}`
      : 'was waiting for approval';
  }
  const why = approval.comment ? `: ${approval.comment}` : '';
  return `${approval.decision} by ${approval.by ?? 'someone'} at ${approval.at ?? '?'}${why}`;
}

function decisionCommand(action: 'approve' | 'reject'): Command {
  const effect =
    action === 'approve'
      ? 'Lets job JOB of build number BUILD run: it waits for approval (approval: true in the\npipeline). The runner starts it within a few seconds.'
      : 'Rejects job JOB of build number BUILD, which waits for approval (approval: true in the\npipeline): it is skipped, and so is every job that depends on it.';
  const help = `Usage: gibbon ${action} BUILD JOB [--comment TEXT] [--repo ORG/REPO] [--json]

${effect} Who decided (the token's name),
when and the comment are kept with the job and shown with it. It needs an admin or org admin
token; a job is decided once.

Options:
  --comment TEXT    why (up to 1000 characters), shown with the decision
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  --json            print the API's JSON
  -h, --help        show this help

${environmentHelp}`;
  return {
    name: action,
    summary:
      action === 'approve'
        ? 'Approve a job that waits for approval'
        : 'Reject a job that waits for approval',
    help,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        ...helpOption,
        comment: { type: 'string' },
        repo: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help) return (writeLine(io.stdout, help), 0);
      if (positionals.length !== 2) {
        throw new InputError(
          `Usage: gibbon ${action} BUILD JOB [--comment TEXT] [--repo ORG/REPO]`,
        );
      }
      const number = buildNumberOf(positionals[0]);
      const jobId = positionals[1]!;
      const build = await clientOf(io).decideJob(
        repoRefOf(values.repo, io.env),
        number,
        jobId,
        action,
        values.comment,
      );
      if (values.json) return printJson(io, build);
      writeLine(io.stdout, buildDetail(build)[0]);
      const job = build.jobs.find((candidate) => candidate.id === jobId);
      const note = job && approvalNote(job, number);
      if (note) writeLine(io.stdout, `  ${jobId}: ${note}`);
      return 0;
    },
  };
}

export const approveCommand = decisionCommand('approve');
export const rejectCommand = decisionCommand('reject');
