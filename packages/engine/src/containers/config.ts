import { InputError } from '@gibbon/contracts';
import type { JobNetwork } from './types';

const networks: readonly JobNetwork[] = ['bridge', 'host', 'none'];

/**
 * The job network from `GIBBON_JOB_NETWORK` (spec section 9): `bridge` when unset, otherwise
 * one of `bridge`, `host`, `none`; anything else stops the service at start with a message
 * saying what to set.
 */
export function jobNetworkFrom(value: string | undefined): JobNetwork {
  if (value === undefined || value === '') return 'bridge';
  const network = networks.find((candidate) => candidate === value);
  if (network) return network;
  throw new InputError(
    `GIBBON_JOB_NETWORK=${JSON.stringify(value)} is not a job network; use bridge, host or none.`,
  );
}
