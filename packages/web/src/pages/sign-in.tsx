import type { Session } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { signIn } from '../api/session';

/**
 * Signing in with an API token (the admin token `pnpm start` printed, or an org token). The
 * token goes to the server once, which answers with an HttpOnly session cookie; the page
 * keeps no copy (no localStorage, the field is cleared).
 */
export function SignInPage({ onSignedIn }: { readonly onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const session = await signIn(token.trim());
      setToken('');
      onSignedIn(session);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={(event) => void submit(event)}>
        <div class="brand brand-large">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <span>Gibbon CI</span>
        </div>
        <h1>Sign in</h1>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          placeholder="gbn_admin_… or gbn_org_…"
        />
        <p class="hint">
          The admin token is printed once by <code>pnpm start</code> and saved in{' '}
          <code>.gibbon-data/admin-token</code>; an org admin makes org tokens with{' '}
          <code>gibbon tokens create</code>.
        </p>
        {problem && (
          <p class="note note-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
