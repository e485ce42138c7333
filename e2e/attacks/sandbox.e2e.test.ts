import { describeTheBox } from './harness/box-scenario';

// The sandbox scenario under a root runner, as `pnpm start` runs here (tests run as root): each
// build's box under a uid of its own. e2e/attacks/harness/box-scenario.ts says what it tries.
jest.setTimeout(300_000);

describeTheBox();
