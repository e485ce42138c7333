import picomatch from 'picomatch';
import type { BuildTrigger } from './build-trigger';
import { quoted } from './quoted';
import type { TriggerEventKind, TriggerRules } from '../domain';

/**
 * The markers that skip a push's build when its head commit message holds one, compared
 * case-insensitively. The list is short on purpose; each is what another CI already honours.
 */
export const SKIP_MARKERS: readonly string[] = ['[skip ci]', '[ci skip]', '[no ci]'];

export type TriggerVerdict =
  { readonly build: true } | { readonly build: false; readonly reason: string };

const BUILD: TriggerVerdict = { build: true };
const MAX_SHOWN_GLOBS = 5;
const MAX_SHOWN_FILES = 3;
/** Globs match dotfiles too: `src/**` covers `src/.env`, as in the SDK's `when` conditions. */
const GLOB_OPTIONS = { dot: true } as const;

/**
 * Whether a delivery that asks for a build gets one under `rules`, and if not, which rule
 * said no, in words a user can act on. Pure. The order: the event kind, the `[skip ci]`
 * markers, the branch or tag, then the changed files. Paths rules apply to pushes only, and
 * only when the payload listed the changed files (`changedFilesComplete`); otherwise the
 * push builds (fail open: a build too many beats a change that silently went unbuilt).
 */
export function evaluateTriggerRules(rules: TriggerRules, trigger: BuildTrigger): TriggerVerdict {
  const kind: TriggerEventKind =
    trigger.event === 'pull_request' ? 'pull_request' : trigger.tag !== null ? 'tag' : 'push';
  const events = eventsVerdict(rules, kind);
  if (!events.build) return events;
  if (trigger.event === 'push') {
    const marker = skipMarkerIn(trigger.message);
    if (marker) return { build: false, reason: `head commit message contains ${marker}` };
  }
  const ref = refVerdict(rules, trigger);
  if (!ref.build || trigger.event !== 'push' || !trigger.changedFilesComplete) return ref;
  return pathsVerdict(rules, trigger.changedFiles);
}

/** A manual build obeys `events` only: branch, tag and path rules are for what GitHub sends. */
export function manualTriggerVerdict(rules: TriggerRules): TriggerVerdict {
  return eventsVerdict(rules, 'manual');
}

/** A schedule's tick names its branch, so like a manual build only `events` applies to it. */
export function scheduleTriggerVerdict(rules: TriggerRules): TriggerVerdict {
  return eventsVerdict(rules, 'schedule');
}

function eventsVerdict(rules: TriggerRules, kind: TriggerEventKind): TriggerVerdict {
  if (rules.events === undefined || rules.events.includes(kind)) return BUILD;
  return {
    build: false,
    reason: `event kind "${kind}" is not in triggers.events ${shownList(rules.events)}`,
  };
}

/** The first marker the message holds, as written in `SKIP_MARKERS`. */
function skipMarkerIn(message: string | null): string | undefined {
  if (message === null) return undefined;
  const lower = message.toLowerCase();
  return SKIP_MARKERS.find((marker) => lower.includes(marker));
}

function refVerdict(rules: TriggerRules, trigger: BuildTrigger): TriggerVerdict {
  if (trigger.tag !== null) {
    return globVerdict(rules.tags, trigger.tag, `tag ${quoted(trigger.tag)}`, 'tags');
  }
  const base = trigger.pullRequest?.baseBranch;
  if (base !== undefined) {
    return globVerdict(
      rules.branches,
      base,
      `pull request base branch ${quoted(base)}`,
      'branches',
    );
  }
  if (trigger.branch === null) return BUILD;
  return globVerdict(
    rules.branches,
    trigger.branch,
    `branch ${quoted(trigger.branch)}`,
    'branches',
  );
}

function globVerdict(
  globs: readonly string[] | undefined,
  name: string,
  what: string,
  field: 'branches' | 'tags',
): TriggerVerdict {
  if (globs === undefined || picomatch([...globs], GLOB_OPTIONS)(name)) return BUILD;
  return { build: false, reason: `${what} matches none of triggers.${field} ${shownList(globs)}` };
}

function pathsVerdict(rules: TriggerRules, files: readonly string[]): TriggerVerdict {
  if (files.length === 0) return BUILD;
  if (rules.paths !== undefined) {
    const matches = picomatch([...rules.paths], GLOB_OPTIONS);
    if (!files.some((file) => matches(file))) {
      return {
        build: false,
        reason: `no changed file (${shownFiles(files)}) matches triggers.paths ${shownList(rules.paths)}`,
      };
    }
  }
  if (rules.pathsIgnore !== undefined) {
    const ignored = picomatch([...rules.pathsIgnore], GLOB_OPTIONS);
    if (files.every((file) => ignored(file))) {
      return {
        build: false,
        reason: `every changed file (${shownFiles(files)}) matches triggers.pathsIgnore ${shownList(rules.pathsIgnore)}`,
      };
    }
  }
  return BUILD;
}

/** `["main","release/*"]`, cut after a few entries so a long rule list keeps the reason short. */
function shownList(values: readonly string[]): string {
  const shown = values.slice(0, MAX_SHOWN_GLOBS).map(quoted).join(',');
  const more = values.length - MAX_SHOWN_GLOBS;
  return more > 0 ? `[${shown},… ${more} more]` : `[${shown}]`;
}

function shownFiles(files: readonly string[]): string {
  const shown = files.slice(0, MAX_SHOWN_FILES).map(quoted).join(', ');
  const more = files.length - MAX_SHOWN_FILES;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
