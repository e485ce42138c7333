import type { Build, Job } from '@gibbon/contracts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { readBuild, readLogTimes } from '../api/builds';
import { followLog, logUrl } from '../api/log-stream';
import { isFinished } from '../build-facts';
import { LogViewer } from '../components/log-viewer';
import { Crumbs, ErrorNote } from '../components/notes';
import { JobOutputs } from '../components/job-outputs';
import { StatusBadge } from '../components/status';
import { useLiveBuild, useNow, useThrottled } from '../hooks';
import {
  LineOffsets,
  LogModel,
  parseLineAnchor,
  searchLines,
  timeAtOffset,
  type LogPartTime,
} from '../log';
import { paths } from '../paths';
import { durationBetween, formatClock } from '../time';

const scriptLogId = '_script';

function JobList({ build, current }: { readonly build: Build; readonly current: string }) {
  const entries: { id: string; label: string; job?: Job }[] = [
    { id: scriptLogId, label: 'Build script' },
    ...build.jobs.map((job) => ({ id: job.id, label: job.id, job })),
  ];
  return (
    <nav class="job-list card" aria-label="Jobs of this build">
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <a
              href={paths.job(build.org, build.repo, build.number, entry.id)}
              aria-current={entry.id === current ? 'page' : undefined}
            >
              {entry.job ? (
                <span class={`dot status-${entry.job.status}`} aria-hidden="true" />
              ) : (
                <span class="dot dot-script" aria-hidden="true" />
              )}
              {entry.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The log text as it streams in, redrawn at most once per frame. */
function useFollowedLog(org: string, repo: string, number: number, jobId: string) {
  const model = useRef(new LogModel());
  const offsets = useRef(new LineOffsets());
  const [version, setVersion] = useState(0);
  const [ended, setEnded] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    model.current = new LogModel();
    offsets.current = new LineOffsets();
    setVersion((value) => value + 1);
    setEnded(false);
    setProblem(undefined);
    const stop = new AbortController();
    let frame: number | undefined;
    const redraw = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        setVersion((value) => value + 1);
      });
    };
    void followLog(
      { org, repo, number, jobId },
      {
        onText: (text) => {
          setProblem(undefined);
          model.current.append(text);
          offsets.current.append(text);
          redraw();
        },
        onEnd: () => {
          model.current.finish();
          setEnded(true);
          redraw();
        },
        onProblem: (message) => setProblem(message),
      },
      stop.signal,
    );
    return () => {
      stop.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [org, repo, number, jobId]);
  return { model: model.current, offsets: offsets.current, version, ended, problem };
}

/**
 * `/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}`: the job's log, following live while
 * the job runs (`?follow=true`, resumed by byte offset when cut), with line links (`#L120`),
 * search, collapsible sections and a jump to the first error line.
 */
export function JobLogPage({
  org,
  repo,
  number,
  jobId,
}: {
  readonly org: string;
  readonly repo: string;
  readonly number: number;
  readonly jobId: string;
}) {
  const address = { org, repo, number };
  const loaded = useLiveBuild(address, () => readBuild(address));
  const log = useFollowedLog(org, repo, number, jobId);
  const build = loaded.data;
  const job = build?.jobs.find((candidate) => candidate.id === jobId);
  const running = build !== undefined && (job ? job.finishedAt === null : !isFinished(build));
  const now = useNow(running);
  const [follow, setFollow] = useState(true);
  const [target, setTarget] = useState<number | undefined>(() =>
    parseLineAnchor(window.location.hash),
  );
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const [hit, setHit] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setSearched(query), 150);
    return () => clearTimeout(timer);
  }, [query]);
  const matches = useMemo(() => searchLines(log.model.lines, searched), [searched, log.version]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  useEffect(() => {
    if (target !== undefined) setFollow(false);
  }, [target]);
  const goTo = (line: number | undefined) => {
    if (line === undefined) return;
    setTarget(line);
    history.replaceState(null, '', `#L${line}`);
  };
  const step = (by: number) => {
    if (matches.length === 0) return;
    const next = (hit + by + matches.length) % matches.length;
    setHit(next);
    goTo(matches[next]);
  };
  const [showTimes, setShowTimes] = useState(false);
  const [times, setTimes] = useState<readonly LogPartTime[]>([]);
  const [timesProblem, setTimesProblem] = useState<Error | undefined>();
  const fetchTimes = useThrottled(() => {
    readLogTimes(address, jobId).then(setTimes, (error: Error) => setTimesProblem(error));
  }, 1500);
  useEffect(() => {
    // While shown, the times follow the log: fetched again as parts arrive, at most every 1.5 s.
    if (showTimes) fetchTimes();
  }, [showTimes, log.version, fetchTimes]);
  const timeOf = showTimes
    ? (line: number): string | undefined => {
        const start = log.offsets.startOf(line);
        const at = start === undefined ? undefined : timeAtOffset(times, start);
        return at === undefined ? undefined : formatClock(at);
      }
    : undefined;
  const title = jobId === scriptLogId ? 'Build script' : jobId;
  return (
    <>
      <Crumbs
        steps={[
          ['Repositories', paths.home()],
          [org],
          [repo, paths.repo(org, repo)],
          [`#${number}`, paths.build(org, repo, number)],
          [title],
        ]}
      />
      <div class="log-page">
        {build && <JobList build={build} current={jobId} />}
        <div class="log-main">
          <div class="title-row">
            <h1 class="build-title">
              {job && <StatusBadge status={job.status} />}
              {!job && build && <StatusBadge status={build.status} />}
              <span class="mono">{title}</span>
            </h1>
            <span class="muted">
              {job && (durationBetween(job.startedAt, job.finishedAt, now) ?? 'not started')}
              {job?.exitCode !== null &&
                job?.exitCode !== undefined &&
                ` · exit code ${job.exitCode}`}
            </span>
          </div>
          {job?.message && <p class="note note-build">{job.message}</p>}
          {job && <JobOutputs job={job} />}
          {job?.status === 'waiting' && (
            <p class="note note-build">
              This job waits for approval: approve or reject it on{' '}
              <a href={paths.build(org, repo, number)}>the build's page</a>.
            </p>
          )}
          <ErrorNote error={loaded.error ?? timesProblem} />
          {log.problem && (
            <p class="note note-error" role="status">
              {log.problem}
            </p>
          )}
          <div class="log-toolbar" role="toolbar" aria-label="Log tools">
            <input
              type="search"
              aria-label="Search the log"
              placeholder="Search the log"
              value={query}
              onInput={(event) => {
                setQuery(event.currentTarget.value);
                setHit(0);
              }}
              onKeyDown={(event) => event.key === 'Enter' && step(event.shiftKey ? -1 : 1)}
            />
            <span class="muted search-count" aria-live="polite">
              {searched === ''
                ? ''
                : matches.length === 0
                  ? 'no match'
                  : `${Math.min(hit + 1, matches.length)} of ${matches.length}`}
            </span>
            <button
              type="button"
              class="button"
              disabled={matches.length === 0}
              onClick={() => step(-1)}
              aria-label="Previous match"
            >
              ↑
            </button>
            <button
              type="button"
              class="button"
              disabled={matches.length === 0}
              onClick={() => step(1)}
              aria-label="Next match"
            >
              ↓
            </button>
            <button
              type="button"
              class="button"
              disabled={log.model.firstErrorLine === undefined}
              onClick={() => goTo(log.model.firstErrorLine)}
            >
              First error
            </button>
            <button
              type="button"
              class={follow ? 'button button-on' : 'button'}
              aria-pressed={follow}
              onClick={() => setFollow(!follow)}
            >
              Follow
            </button>
            <button
              type="button"
              class={showTimes ? 'button button-on' : 'button'}
              aria-pressed={showTimes}
              title="When each line was written (UTC, to about a second)"
              onClick={() => setShowTimes(!showTimes)}
            >
              Timestamps
            </button>
            <a
              class="button"
              href={logUrl({ org, repo, number, jobId })}
              target="_blank"
              rel="noopener"
            >
              Raw
            </a>
            <span class="muted log-state" aria-live="polite">
              {log.ended ? `${log.model.lines.length.toLocaleString('en')} lines` : 'Streaming…'}
            </span>
          </div>
          <LogViewer
            lines={log.model.lines}
            sections={log.model.sections}
            version={log.version}
            follow={follow}
            onFollowChange={setFollow}
            target={target}
            matches={matchSet}
            onLineLink={goTo}
            {...(timeOf ? { timeOf } : {})}
          />
          {log.ended && log.model.lines.length === 0 && <p class="muted">This log is empty.</p>}
        </div>
      </div>
    </>
  );
}
