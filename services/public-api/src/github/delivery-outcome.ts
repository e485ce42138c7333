import type { BuildTrigger } from './build-trigger';

/**
 * What a verified GitHub delivery asks for:
 * - `ping`: GitHub checking the webhook; answer 200, build nothing.
 * - `build`: make one build from `trigger` (unless one exists for the delivery id or for
 *   `trigger.contentKey`).
 * - `ignored`: a well-formed delivery that builds nothing; `reason` is shown to the user
 *   (answer 202 with it).
 * - `closed`: a pull request was closed (merged or not): its builds still queued or running
 *   are canceled; nothing is built (answer 202, ignored, saying which builds were canceled).
 */
export type DeliveryOutcome =
  | { readonly kind: 'ping' }
  | { readonly kind: 'build'; readonly trigger: BuildTrigger }
  | { readonly kind: 'ignored'; readonly reason: string }
  | {
      readonly kind: 'closed';
      readonly githubRepo: string;
      readonly number: number;
      /** `refs/pull/{number}/head`: the ref its builds were made of. */
      readonly ref: string;
    };
