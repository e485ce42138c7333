import type { Session } from '@gibbon/contracts';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in session; the pages below the sign-in form always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('A page was drawn without a session.');
  return session;
}
