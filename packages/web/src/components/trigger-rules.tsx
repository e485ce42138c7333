import type { RepoConcurrency, RepoTriggers } from '@gibbon/contracts';

/** Each rule as the page names it, in the order the server judges them. */
const rules: readonly (readonly [keyof RepoTriggers, string])[] = [
  ['events', 'Events that build'],
  ['branches', 'Branches (pushes, pull request bases)'],
  ['tags', 'Tags'],
  ['paths', 'Changed paths, one must match'],
  ['pathsIgnore', 'Ignored when every changed path matches'],
];

/** How builds of one branch or pull request share runners, in words (README, "Concurrency"). */
function concurrencyText({ mode = 'parallel', protectedBranches }: RepoConcurrency): string {
  if (mode === 'parallel') return 'run at once';
  if (mode === 'queue') return 'one at a time, oldest first';
  const spared = protectedBranches ? `, except on ${protectedBranches.join(', ')}` : '';
  return `one at a time; a new build cancels the older ones${spared}`;
}

/**
 * A repository's trigger rules and concurrency, read only (set with the API or `gibbon repos
 * edit`). Rules that are not set restrict nothing, so only the set ones are listed.
 */
export function TriggerRulesSection({
  triggers,
  concurrency,
}: {
  readonly triggers: RepoTriggers;
  readonly concurrency: RepoConcurrency;
}) {
  const set = rules.filter(([field]) => triggers[field] !== undefined);
  return (
    <section class="card" aria-labelledby="triggers-title">
      <h2 id="triggers-title">Build triggers</h2>
      {set.length === 0 && (
        <p class="muted">No trigger rules: every push, tag and pull request builds.</p>
      )}
      <dl class="facts">
        {set.map(([field, name]) => (
          <div key={field}>
            <dt>{name}</dt>
            <dd class="mono">{triggers[field]?.join(', ')}</dd>
          </div>
        ))}
        <div>
          <dt>Builds of one branch or pull request</dt>
          <dd>{concurrencyText(concurrency)}</dd>
        </div>
      </dl>
      <p class="muted">
        A push whose head commit message holds <code>[skip ci]</code>, <code>[ci skip]</code> or{' '}
        <code>[no ci]</code> does not build. A delivery the rules turn away is answered as ignored
        with the rule that did it. Change them with <code>gibbon repos edit</code>.
      </p>
    </section>
  );
}
