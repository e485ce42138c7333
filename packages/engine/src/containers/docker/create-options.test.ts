import { InputError } from '@gibbon/contracts';
import { defaultContainerConfig, type ContainerJobSpec } from '../types';
import { createOptions } from './create-options';

const spec: ContainerJobSpec = {
  buildId: 'b7',
  jobId: 'test',
  image: 'node:20',
  script: ['npm test'],
  checkoutDir: '/srv/checkouts/b7',
};

describe('createOptions', () => {
  it('drops privileges, sets limits and labels, and mounts only the checkout', () => {
    const options = createOptions(spec, { ...defaultContainerConfig, runnerId: 'r1' });
    expect(options.Labels).toEqual({
      'gibbon.runner': 'r1',
      'gibbon.build': 'b7',
      'gibbon.job': 'test',
    });
    expect(options.HostConfig).toMatchObject({
      Privileged: false,
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      NetworkMode: 'bridge',
      Memory: 2048 * 1024 * 1024,
      NanoCpus: 2e9,
      PidsLimit: 1024,
      Init: true,
      Mounts: [{ Type: 'bind', Source: '/srv/checkouts/b7', Target: '/workspace' }],
    });
    expect(options.HostConfig?.Binds).toBeUndefined();
    expect(JSON.stringify(options)).not.toContain('docker.sock');
    expect(options.HostConfig?.CapAdd).not.toContain('SYS_ADMIN');
  });

  it('lets a job narrow the network to none and set its own resources', () => {
    const options = createOptions(
      { ...spec, network: 'none', resources: { cpus: 0.5, memoryMb: 256 } },
      { ...defaultContainerConfig, network: 'host' },
    );
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'none',
      NanoCpus: 5e8,
      Memory: 256 * 1024 * 1024,
    });
  });

  it('publishes exposed ports on loopback only, on a bridge network', () => {
    const options = createOptions({ ...spec, expose: [8080, 5005] }, defaultContainerConfig);
    expect(options.ExposedPorts).toEqual({ '8080/tcp': {}, '5005/tcp': {} });
    expect(options.HostConfig?.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '5005/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
  });

  it.each([
    ['host', {}],
    ['none', {}],
    ['bridge', { network: 'none' as const }],
    ['bridge', { networkOwner: 'c0ffee' }],
  ] as const)('publishes nothing on network %s with %j', (network, fields) => {
    const options = createOptions(
      { ...spec, ...fields, expose: [8080] },
      { ...defaultContainerConfig, network },
    );
    expect(options.ExposedPorts).toBeUndefined();
    expect(options.HostConfig?.PortBindings).toBeUndefined();
  });

  it('passes script lines as arguments of a fixed driver, never inside the program text', () => {
    const options = createOptions(
      { ...spec, script: ['echo "$(id)"; rm -rf /'] },
      defaultContainerConfig,
    );
    expect(options.Cmd).toEqual(['echo "$(id)"; rm -rf /']);
    expect(options.Entrypoint?.[3]).not.toContain('rm -rf');
  });

  it.each([
    [{ workDir: '/etc' }, /workDir/],
    [{ workDir: 'a/../../b' }, /workDir/],
    [{ env: { 'BAD NAME': 'x' } }, /not valid/],
    [{ env: { OK: 'a\0b' } }, /NUL/],
    [{ script: undefined }, /exactly one of script or command/],
    [{ command: ['true'] }, /exactly one of script or command/],
  ])('refuses %j', (fields, message) => {
    expect(() => createOptions({ ...spec, ...fields }, defaultContainerConfig)).toThrow(InputError);
    expect(() => createOptions({ ...spec, ...fields }, defaultContainerConfig)).toThrow(message);
  });
});
