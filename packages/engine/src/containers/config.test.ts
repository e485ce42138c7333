import { InputError } from '@gibbon/contracts';
import { jobNetworkFrom } from './config';

describe('jobNetworkFrom', () => {
  it('defaults to bridge and accepts the three networks', () => {
    expect(jobNetworkFrom(undefined)).toBe('bridge');
    expect(jobNetworkFrom('')).toBe('bridge');
    expect(jobNetworkFrom('host')).toBe('host');
    expect(jobNetworkFrom('none')).toBe('none');
  });

  it('refuses anything else with a message saying what to set', () => {
    expect(() => jobNetworkFrom('container:evil')).toThrow(InputError);
    expect(() => jobNetworkFrom('Host')).toThrow(/use bridge, host or none/);
  });
});
