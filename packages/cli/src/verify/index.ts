// What `gibbon verify` loads on demand (the engine, esbuild; TypeScript only when checking).
export { renderTree } from './tree';
export { TypeCheckCache } from './typecheck-cache';
export { verifyBuild, type VerifyResult } from './verify-build';
