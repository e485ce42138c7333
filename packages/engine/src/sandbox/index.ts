export type { BoxNetwork, BoxSpec } from './box-spec';
export { boxCommand } from './box-command';
export { probeSandbox } from './probe';
export { prepareScriptSandbox, sandboxRemedy, type SandboxReadiness } from './prepare-sandbox';
export { DEFAULT_SANDBOX_UIDS, SandboxUidPool, type LentUser, type UidRange } from './uid-pool';
export { readBoxNamespace, signalBox } from './box-processes';
export { BOX_INFO_FD } from './bubblewrap';
export { boxNetworkOf, handOverToBoxUser, type ScriptSandbox } from './script-sandbox';
