import type { Session } from '@gibbon/contracts';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useRoute } from 'preact-iso';
import { onSignedOut } from './api/client';
import { currentSession, isAdmin } from './api/session';
import { Empty } from './components/notes';
import { Shell } from './components/shell';
import { BuildPage } from './pages/build';
import { HomePage } from './pages/home';
import { JobLogPage } from './pages/job-log';
import { RepoPage } from './pages/repo';
import { RepoSettingsPage } from './pages/repo-settings';
import { RunnersPage } from './pages/runners';
import { SignInPage } from './pages/sign-in';
import { paths } from './paths';
import { SessionContext, useSession } from './session-context';

function NotFound() {
  return (
    <Empty>
      There is no page at this address. <a href={paths.home()}>See the repositories</a>.
    </Empty>
  );
}

/** A route's path parameters, checked: a build number that is not one is the not-found page. */
function useParams(): Record<string, string> {
  return useRoute().params;
}

function Repo() {
  const { org, repo } = useParams();
  return <RepoPage key={`${org}/${repo}`} org={org!} repo={repo!} />;
}

function Settings() {
  const { org, repo } = useParams();
  return <RepoSettingsPage key={`${org}/${repo}`} org={org!} repo={repo!} />;
}

function buildNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
}

function BuildRoute() {
  const { org, repo, number } = useParams();
  const parsed = buildNumber(number);
  if (parsed === undefined) return <NotFound />;
  return <BuildPage key={`${org}/${repo}/${parsed}`} org={org!} repo={repo!} number={parsed} />;
}

function JobRoute() {
  const { org, repo, number, jobId } = useParams();
  const parsed = buildNumber(number);
  if (parsed === undefined) return <NotFound />;
  return (
    <JobLogPage
      key={`${org}/${repo}/${parsed}/${jobId}`}
      org={org!}
      repo={repo!}
      number={parsed}
      jobId={jobId!}
    />
  );
}

function Runners() {
  return isAdmin(useSession()) ? <RunnersPage /> : <NotFound />;
}

/**
 * The web page: the sign-in form until a session exists, then the pages at URLs that link
 * from outside. Links under `/v1/` (logs, artifacts) are left to the browser.
 */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    currentSession().then(
      (found) => setSession(found ?? null),
      (error: Error) => setProblem(error.message),
    );
    return onSignedOut(() => setSession(null));
  }, []);
  if (problem) {
    return (
      <main class="sign-in">
        <p class="note note-error" role="alert">
          {problem}
        </p>
      </main>
    );
  }
  if (session === undefined) return null;
  if (session === null) return <SignInPage onSignedIn={setSession} />;
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider scope={/^\/(?!v1\/)/}>
        <Shell onSignedOut={() => setSession(null)}>
          <Router>
            <Route path="/" component={HomePage} />
            <Route path="/orgs/:org/repos/:repo" component={Repo} />
            <Route path="/orgs/:org/repos/:repo/settings" component={Settings} />
            <Route path="/orgs/:org/repos/:repo/builds/:number" component={BuildRoute} />
            <Route path="/orgs/:org/repos/:repo/builds/:number/jobs/:jobId" component={JobRoute} />
            <Route path="/runners" component={Runners} />
            <Route default component={NotFound} />
          </Router>
        </Shell>
      </LocationProvider>
    </SessionContext.Provider>
  );
}
