import type { KeyStatus, MasterKeyRotation, SigningKeyRotation } from '@gibbon/contracts';
import type { MasterKeysService } from './master-keys.service';
import type { SigningKeysService } from './signing-keys.service';

/** The admin API of keys (`/v1/admin/keys...`): state, signing key and master key rotation. */
export class KeysService {
  constructor(
    private readonly masterKeys: MasterKeysService,
    private readonly signingKeys: SigningKeysService,
  ) {}

  async status(): Promise<KeyStatus> {
    return {
      masterKey: await this.masterKeys.status(),
      signingKeys: await this.signingKeys.list('build'),
    };
  }

  async rotateSigningKey(options: { retireOthersNow?: boolean }): Promise<SigningKeyRotation> {
    const kid = await this.signingKeys.rotate('build', options);
    return { kid, signingKeys: await this.signingKeys.list('build') };
  }

  rotateMasterKey(): Promise<MasterKeyRotation> {
    return this.masterKeys.rotate();
  }
}
