import type { Label, ParamSet, WebhookCreated } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { canWrite } from '../api/session';
import { CopyButton } from '../components/copy-button';
import { DeliveriesSection } from '../components/deliveries';
import { SchedulesSection } from '../components/schedules';
import { TriggerRulesSection } from '../components/trigger-rules';
import { Crumbs, ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../hooks';
import { paths } from '../paths';
import { useSession } from '../session-context';

const labelText = (labels: readonly Label[]) =>
  labels
    .map((label) => (label.value === '' ? label.name : `${label.name}=${label.value}`))
    .join(', ');

function WebhookSection({ org, repo }: { readonly org: string; readonly repo: string }) {
  const [created, setCreated] = useState<WebhookCreated | undefined>();
  const [problem, setProblem] = useState<Error | undefined>();
  const create = async (): Promise<void> => {
    try {
      setCreated(
        await call(
          `Creating a webhook for ${org}/${repo}`,
          api.POST('/v1/orgs/{org}/repos/{repo}/webhooks', { params: { path: { org, repo } } }),
        ),
      );
    } catch (error) {
      setProblem(error as Error);
    }
  };
  return (
    <section class="card" aria-labelledby="webhook-title">
      <h2 id="webhook-title">GitHub webhook</h2>
      <p class="muted">
        Add it on GitHub under Settings → Webhooks: content type <code>application/json</code>,
        events <em>push</em> and <em>pull request</em>.
      </p>
      <ErrorNote error={problem} />
      {created ? (
        <div class="secret-box">
          <p>
            <strong>Shown once.</strong> Copy both now: the secret is stored encrypted and never
            shown again.
          </p>
          <label for="payload-url">Payload URL</label>
          <div class="copy-row">
            <input id="payload-url" readOnly value={created.payloadUrl} />
            <CopyButton text={created.payloadUrl} label="the payload URL" />
          </div>
          <label for="webhook-secret">Secret</label>
          <div class="copy-row">
            <input id="webhook-secret" readOnly value={created.secret} class="mono" />
            <CopyButton text={created.secret} label="the secret" />
          </div>
        </div>
      ) : (
        <button type="button" class="button button-primary" onClick={() => void create()}>
          Create webhook
        </button>
      )}
    </section>
  );
}

/** `NAME=value` per line → the set's values; a line without `=` is refused with its number. */
function parseValues(text: string): { name: string; value: string }[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      const at = line.indexOf('=');
      if (at <= 0) throw new Error(`Line ${index + 1} must be NAME=value.`);
      return { name: line.slice(0, at).trim(), value: line.slice(at + 1) };
    });
}

function NewParamSet({ org, onCreated }: { readonly org: string; readonly onCreated: () => void }) {
  const [description, setDescription] = useState('');
  const [values, setValues] = useState('');
  const [problem, setProblem] = useState<Error | undefined>();
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      await call(
        `Creating a parameter set in ${org}`,
        api.POST('/v1/orgs/{org}/params', {
          params: { path: { org } },
          body: { description, values: parseValues(values) },
        }),
      );
      setDescription('');
      setValues('');
      setProblem(undefined);
      onCreated();
    } catch (error) {
      setProblem(error as Error);
    }
  };
  return (
    <form class="stack" onSubmit={(event) => void submit(event)}>
      <h3>New parameter set</h3>
      <label for="param-description">Description</label>
      <input
        id="param-description"
        value={description}
        onInput={(event) => setDescription(event.currentTarget.value)}
      />
      <label for="param-values">
        Values (one NAME=value per line; write-only, never shown again)
      </label>
      <textarea
        id="param-values"
        rows={4}
        class="mono"
        spellcheck={false}
        autocomplete="off"
        value={values}
        onInput={(event) => setValues(event.currentTarget.value)}
      />
      <ErrorNote error={problem} />
      <div>
        <button type="submit" class="button button-primary">
          Create parameter set
        </button>
      </div>
    </form>
  );
}

function ParamSets({ org, writable }: { readonly org: string; readonly writable: boolean }) {
  const loaded = useLoad(
    () =>
      call(
        `Listing the parameter sets of ${org}`,
        api.GET('/v1/orgs/{org}/params', { params: { path: { org } } }),
      ),
    org,
  );
  const sets: readonly ParamSet[] = loaded.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="params-title">
      <h2 id="params-title">Parameter sets of {org}</h2>
      <p class="muted">
        Secrets builds read on demand (<code>job.param('NAME')</code>), masked in every log. A set
        with label filters applies only to repositories with those labels.
      </p>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <Loading what="parameter sets" />}
      {loaded.data && sets.length === 0 && <p class="muted">No parameter sets yet.</p>}
      {sets.length > 0 && (
        <table class="plain">
          <thead>
            <tr>
              <th>Description</th>
              <th>Names</th>
              <th>Applies to</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((set) => (
              <tr key={set.id}>
                <td>{set.description || <span class="muted">(no description)</span>}</td>
                <td class="mono">{set.names.join(', ') || '—'}</td>
                <td>
                  {set.labelFilters.length === 0
                    ? 'every repository'
                    : set.labelFilters.map((group) => labelText(group)).join(' or ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {writable && <NewParamSet org={org} onCreated={loaded.reload} />}
    </section>
  );
}

/**
 * `/orgs/{org}/repos/{repo}/settings`: the repository, its GitHub link, trigger rules,
 * schedules and webhook, its org's parameter sets.
 */
export function RepoSettingsPage({ org, repo }: { readonly org: string; readonly repo: string }) {
  const session = useSession();
  const writable = canWrite(session);
  const loaded = useLoad(
    () =>
      call(
        `Reading ${org}/${repo}`,
        api.GET('/v1/orgs/{org}/repos/{repo}', { params: { path: { org, repo } } }),
      ),
    `${org}/${repo}`,
  );
  const repository = loaded.data;
  return (
    <>
      <Crumbs
        steps={[['Repositories', paths.home()], [org], [repo, paths.repo(org, repo)], ['Settings']]}
      />
      <h1>
        Settings of {org}/{repo}
      </h1>
      <ErrorNote error={loaded.error} />
      {repository && (
        <section class="card">
          <dl class="facts">
            <div>
              <dt>Clone URL</dt>
              <dd class="mono">{repository.url}</dd>
            </div>
            <div>
              <dt>Main branch</dt>
              <dd class="mono">{repository.mainBranch}</dd>
            </div>
            <div>
              <dt>GitHub</dt>
              <dd>
                {repository.githubRepo ? (
                  <a
                    href={`https://github.com/${repository.githubRepo}`}
                    rel="noopener noreferrer"
                    target="_blank"
                  >
                    {repository.githubRepo}
                  </a>
                ) : (
                  'not linked'
                )}
                {repository.githubRepo &&
                  (repository.hasGithubToken
                    ? ' · token set'
                    : ' · no token (public clones only, no commit statuses)')}
              </dd>
            </div>
            <div>
              <dt>Labels</dt>
              <dd>{labelText(repository.labels) || '—'}</dd>
            </div>
            <div>
              <dt>Fork pull requests</dt>
              <dd>{repository.untrustedNetwork ? 'have a network' : 'run without a network'}</dd>
            </div>
          </dl>
        </section>
      )}
      {repository && (
        <TriggerRulesSection triggers={repository.triggers} concurrency={repository.concurrency} />
      )}
      {repository && (
        <SchedulesSection
          org={org}
          repo={repo}
          mainBranch={repository.mainBranch}
          writable={writable}
        />
      )}
      {writable && <WebhookSection org={org} repo={repo} />}
      <DeliveriesSection org={org} repo={repo} />
      <ParamSets org={org} writable={writable} />
    </>
  );
}
