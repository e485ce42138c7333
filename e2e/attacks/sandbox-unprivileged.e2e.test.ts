import { describeTheBox } from './harness/box-scenario';

// The sandbox scenario under a runner running as an unprivileged user (a uid outside the boxes'
// range, in the Docker socket's group): its boxes run as its own uid, and what keeps a build
// from the runner and from the build beside it is the boxes' namespaces alone
// (docs/adr/0004-script-sandbox.md). e2e/attacks/harness/box-scenario.ts says what it tries.
jest.setTimeout(300_000);

describeTheBox({ uid: 64_100, gid: 64_100 });
