export { keysRoutes } from './keys.routes';
export { KeysService } from './keys.service';
export { createMasterKeys, type MasterKeysService } from './master-keys.service';
export { SigningKeysRepository } from './signing-keys.repository';
export { SigningKeysService } from './signing-keys.service';
export { MasterKeyStateRepository } from './master-key-state.repository';
export { WrappedKeysRepository } from './wrapped-keys.repository';
