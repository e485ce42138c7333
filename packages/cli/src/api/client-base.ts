import {
  answerOf,
  createPublicApiClient,
  type AnswerWording,
  type PublicApiClient,
} from '@gibbon/contracts/clients';
import { pagePaths, pageUrl, type Build } from '@gibbon/contracts';
import type { ServerConfig } from './config';

/**
 * The transport every client method shares: the generated public client of
 * `@gibbon/contracts/clients`, the command's cancel signal, and `answerOf` with the CLI's
 * wording (which server could not be reached, which variable to check). Stateless.
 */
export abstract class ApiClientBase {
  protected readonly api: PublicApiClient;
  private readonly wording: AnswerWording;

  constructor(
    private readonly config: ServerConfig,
    private readonly signal?: AbortSignal,
  ) {
    this.api = createPublicApiClient({ baseUrl: config.baseUrl.href, token: config.token });
    this.wording = {
      unreachable: (cause) =>
        `cannot reach the Gibbon server at ${config.baseUrl.origin} (${cause}); check GIBBON_SERVER_URL and that the server runs.`,
      hints: { unauthenticated: 'Check GIBBON_TOKEN.' },
    };
  }

  /** The build's web page, on the server's own origin: the link a person opens. */
  buildPageUrl(build: Pick<Build, 'org' | 'repo' | 'number'>): string {
    return pageUrl(this.config.baseUrl.href, pagePaths.build(build.org, build.repo, build.number));
  }

  /** Path and query parameters, and the command's cancel signal. */
  protected init<Params extends object>(params?: Params) {
    return {
      ...(params === undefined ? {} : { params }),
      ...(this.signal ? { signal: this.signal } : {}),
    } as { params: Params; signal?: AbortSignal };
  }

  /** The answer's data; throws the domain error the answer names (`what` starts its message). */
  protected answer<Data>(
    what: string,
    pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
  ): Promise<Data> {
    return answerOf(what, pending, this.wording, this.signal);
  }
}
