import { GibbonClient } from '../api/client';
import { serverConfigFrom } from '../api/config';
import type { Io } from '../io';

export const environmentHelp = `Environment:
  GIBBON_SERVER_URL   the Gibbon server, e.g. http://localhost:8080 (GIBBON_URL also works)
  GIBBON_TOKEN        an API token: the admin token or an org token
  GIBBON_REPO         the default for --repo (ORG/REPO)`;

/** The API client of a command, from GIBBON_SERVER_URL/GIBBON_TOKEN; canceled by Ctrl-C. */
export function clientOf(io: Io): GibbonClient {
  return new GibbonClient(serverConfigFrom(io.env), io.signal);
}
