import type { Job } from '@gibbon/contracts';

/** The outputs a job set (`job.setOutput`, `$GIBBON_OUTPUT`), masked as the API gives them. */
export function JobOutputs({ job }: { readonly job: Job }) {
  const entries = Object.entries(job.outputs ?? {});
  if (entries.length === 0) return null;
  return (
    <section class="job-outputs" aria-label="Outputs">
      <h2 class="job-outputs-title">Outputs</h2>
      <dl>
        {entries.map(([name, value]) => (
          <div key={name}>
            <dt class="mono">{name}</dt>
            <dd class="mono">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
