import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ErrorNote } from './notes';

/** The browser's own time zone (an IANA name such as `Europe/Berlin`), what a person means by "3 am". */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** Code-like text (an expression, a branch): monospace, never spell-checked or completed. */
  readonly code?: boolean;
  readonly required?: boolean;
  readonly placeholder?: string;
  readonly hint?: ComponentChildren;
}

/** One labelled input of the form, its hint tied to it for screen readers. */
function Field({ id, label, value, onValue, code, required, placeholder, hint }: FieldProps) {
  return (
    <div>
      <label for={id}>{label}</label>
      <input
        id={id}
        class={code ? 'mono' : undefined}
        required={required}
        spellcheck={false}
        autocomplete="off"
        placeholder={placeholder}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

interface NewScheduleProps {
  readonly org: string;
  readonly repo: string;
  readonly mainBranch: string;
  readonly onCreated: () => void;
}

/**
 * Adds a schedule. The expression is checked by the server only (one parser, the one that
 * fires the ticks), so a bad one is shown in the server's words, which name the field at fault.
 */
export function NewSchedule({ org, repo, mainBranch, onCreated }: NewScheduleProps) {
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [branch, setBranch] = useState(mainBranch);
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      await call(
        `Adding a schedule to ${org}/${repo}`,
        api.POST('/v1/orgs/{org}/repos/{repo}/schedules', {
          params: { path: { org, repo } },
          body: {
            cron: cron.trim(),
            timezone: timezone.trim(),
            branch: branch.trim(),
            description,
          },
        }),
      );
      setCron('');
      setDescription('');
      setProblem(undefined);
      onCreated();
    } catch (error) {
      setProblem(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="schedule-form" onSubmit={(event) => void submit(event)}>
      <h3>New schedule</h3>
      <div class="form-grid">
        <Field
          id="schedule-cron"
          label="Cron expression"
          code
          required
          placeholder="0 3 * * 1-5"
          value={cron}
          onValue={setCron}
          hint={
            <>
              minute hour day-of-month month day-of-week, or <code>@daily</code>,{' '}
              <code>@hourly</code>…
            </>
          }
        />
        <Field
          id="schedule-timezone"
          label="Time zone"
          required
          value={timezone}
          onValue={setTimezone}
          hint="An IANA name; the expression is read in it, across clock changes."
        />
        <Field
          id="schedule-branch"
          label="Branch"
          code
          required
          value={branch}
          onValue={setBranch}
        />
        <Field
          id="schedule-description"
          label="Description"
          placeholder="e.g. nightly full test run"
          value={description}
          onValue={setDescription}
        />
      </div>
      <ErrorNote error={problem} />
      <div>
        <button type="submit" class="button button-primary" disabled={busy}>
          Add schedule
        </button>
      </div>
    </form>
  );
}
