/**
 * `console.log` inside an action goes to its job's log in a test run, as it does in a real
 * build. The runtime's capture replaces the global console methods for good; a test run
 * installs it only while runs are in progress (counted, so overlapping runs share one install)
 * and puts the test framework's console back afterwards.
 */
import { installConsoleCapture } from '../runtime/console-capture';

let activeRuns = 0;
let uninstall: (() => void) | undefined;

/** Runs `body` with the capture installed. */
export async function withConsoleCapture<T>(body: () => Promise<T>): Promise<T> {
  activeRuns += 1;
  uninstall ??= installConsoleCapture();
  try {
    return await body();
  } finally {
    activeRuns -= 1;
    if (activeRuns === 0) {
      uninstall?.();
      uninstall = undefined;
    }
  }
}
