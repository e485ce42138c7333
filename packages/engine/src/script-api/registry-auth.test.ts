import { InputError } from '@gibbon/contracts';
import { registryAuthFor, registryOf } from './registry-auth';

const config = JSON.stringify({
  auths: {
    'registry.example.test:5000': { auth: Buffer.from('ci-bot:pa:ss').toString('base64') },
    'https://index.docker.io/v1/': { username: 'hubuser', password: 'hubpass' },
  },
});

describe('registry credentials from DOCKER_AUTH_CONFIG', () => {
  it.each([
    ['node:20', 'docker.io'],
    ['library/node:20', 'docker.io'],
    ['registry.example.test:5000/team/app:1', 'registry.example.test:5000'],
    ['localhost/app', 'localhost'],
  ])('finds the registry of %s', (image, registry) => {
    expect(registryOf(image)).toBe(registry);
  });

  it('picks the entry of the image’s registry, decoding `auth`', () => {
    expect(registryAuthFor(config, 'registry.example.test:5000/team/app:1')).toEqual({
      username: 'ci-bot',
      password: 'pa:ss',
      serveraddress: 'registry.example.test:5000',
    });
    expect(registryAuthFor(config, 'node:20')).toMatchObject({
      username: 'hubuser',
      password: 'hubpass',
    });
  });

  it('has nothing for an unknown registry and refuses malformed JSON', () => {
    expect(registryAuthFor(config, 'quay.io/org/app')).toBeUndefined();
    expect(() => registryAuthFor('{not json', 'node:20')).toThrow(InputError);
  });
});
