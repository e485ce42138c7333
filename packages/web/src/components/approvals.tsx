import type { Job } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { decideJob } from '../api/builds';
import type { BuildAddress } from '../hooks';
import { formatAbsolute } from '../time';

/** "Approved by ops · 7 Dec 2026, 10:00 — Ship it": a decision as the page shows it. */
function decisionText(job: Job): string {
  const approval = job.approval!;
  if (approval.decision === 'pending') {
    return job.status === 'waiting'
      ? 'Waiting for approval'
      : 'Was waiting for approval; not decided';
  }
  const verb = approval.decision === 'approved' ? 'Approved' : 'Rejected';
  const when = approval.at ? ` · ${formatAbsolute(approval.at)}` : '';
  return `${verb} by ${approval.by ?? 'someone'}${when}`;
}

function WaitingJob({
  job,
  address,
  canDecide,
  onDecided,
}: {
  readonly job: Job;
  readonly address: BuildAddress;
  readonly canDecide: boolean;
  readonly onDecided: (error?: Error) => void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (action: 'approve' | 'reject'): Promise<void> => {
    setBusy(true);
    try {
      await decideJob(address, job.id, action, comment);
      onDecided();
    } catch (error) {
      onDecided(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const fieldId = `approval-comment-${job.id}`;
  return (
    <div class="approval approval-waiting" data-job={job.id}>
      <div class="approval-head">
        <span class="mono">{job.id}</span> waits for approval
      </div>
      {canDecide ? (
        <>
          <label for={fieldId}>Comment (optional)</label>
          <input
            id={fieldId}
            maxLength={1000}
            value={comment}
            placeholder="Why, shown with the decision"
            onInput={(event) => setComment((event.target as HTMLInputElement).value)}
          />
          <div class="actions approval-actions">
            <button
              type="button"
              class="button button-primary"
              disabled={busy}
              onClick={() => void decide('approve')}
            >
              Approve
            </button>
            <button
              type="button"
              class="button button-danger"
              disabled={busy}
              onClick={() => void decide('reject')}
            >
              Reject
            </button>
          </div>
        </>
      ) : (
        <p class="hint">An org admin can approve or reject it here or with gibbon approve.</p>
      )}
    </div>
  );
}

/**
 * The jobs of a build marked `approval`: the waiting ones with Approve / Reject (for a session
 * that may decide) and an optional comment, the decided ones with who decided, when and why.
 */
export function Approvals({
  jobs,
  address,
  canDecide,
  onDecided,
}: {
  readonly jobs: readonly Job[];
  readonly address: BuildAddress;
  readonly canDecide: boolean;
  readonly onDecided: (error?: Error) => void;
}) {
  const gated = jobs.filter((job) => job.approval);
  if (gated.length === 0) return null;
  return (
    <section class="card" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Approvals</h2>
      {gated.map((job) =>
        job.status === 'waiting' && job.approval?.decision === 'pending' ? (
          <WaitingJob
            key={job.id}
            job={job}
            address={address}
            canDecide={canDecide}
            onDecided={onDecided}
          />
        ) : (
          <div key={job.id} class={`approval approval-${job.approval!.decision}`} data-job={job.id}>
            <div class="approval-head">
              <span class="mono">{job.id}</span> · {decisionText(job)}
            </div>
            {job.approval!.comment && <p class="approval-comment">“{job.approval!.comment}”</p>}
          </div>
        ),
      )}
    </section>
  );
}
