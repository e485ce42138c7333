import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { signOut, isAdmin } from '../api/session';
import { useSession } from '../session-context';
import { paths } from '../paths';

/** The header every page shares: where you are, who you are, and the way out. */
export function Shell({
  children,
  onSignedOut,
}: {
  readonly children: ComponentChildren;
  readonly onSignedOut: () => void;
}) {
  const session = useSession();
  const [problem, setProblem] = useState<string | undefined>();
  const who =
    session.principal.kind === 'admin'
      ? 'admin'
      : `${session.principal.org} · ${session.principal.role === 'admin' ? 'org admin' : 'read only'}`;
  const leave = async (): Promise<void> => {
    try {
      await signOut();
      onSignedOut();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={paths.home()}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Gibbon CI</span>
        </a>
        <nav class="topnav" aria-label="Main">
          <a href={paths.home()}>Repositories</a>
          {isAdmin(session) && <a href={paths.runners()}>Runners</a>}
        </nav>
        <div class="whoami">
          <span class="muted">Signed in as</span> <strong>{who}</strong>
          <button type="button" class="button button-quiet" onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      </header>
      {problem && (
        <p class="note note-error" role="alert">
          {problem}
        </p>
      )}
      <main class="page">{children}</main>
    </div>
  );
}
