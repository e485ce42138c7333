import { pipelineTestConfig, where } from './jest-config';

describe('the jest configuration of gibbon test', () => {
  const fromSources = {
    sdk: '/gibbon/packages/sdk/src/index.ts',
    sdkTesting: '/gibbon/packages/sdk/src/testing/index.ts',
    swcJest: '/gibbon/node_modules/@swc/jest/index.js',
  };

  it("runs the repository's .gibbon tests with this CLI's SDK and TypeScript transform", () => {
    const config = pipelineTestConfig('/home/ada/app', fromSources);
    expect(config).toMatchObject({
      rootDir: '/home/ada/app',
      roots: ['<rootDir>/.gibbon'],
      testMatch: ['<rootDir>/.gibbon/**/*.test.ts'],
      moduleNameMapper: {
        '^@gibbon/sdk$': fromSources.sdk,
        '^@gibbon/sdk/testing$': fromSources.sdkTesting,
      },
    });
    expect(Object.values(config.transform)[0]?.[0]).toBe(fromSources.swcJest);
    expect(config.testEnvironmentOptions?.customExportConditions[0]).toBe('@gibbon/source');
  });

  it('uses the export condition of the sources only when the SDK runs from them', () => {
    const built = pipelineTestConfig('/app', {
      ...fromSources,
      sdk: '/gibbon/packages/sdk/dist/index.js',
      sdkTesting: '/gibbon/packages/sdk/dist/testing/index.js',
    });
    expect(built.testEnvironmentOptions).toBeUndefined();
  });

  it('maps exactly the two SDK entries and nothing that merely starts alike', () => {
    const patterns = Object.keys(pipelineTestConfig('/app', fromSources).moduleNameMapper).map(
      (pattern) => new RegExp(pattern),
    );
    const mapped = (name: string) => patterns.some((pattern) => pattern.test(name));
    expect(['@gibbon/sdk', '@gibbon/sdk/testing'].every(mapped)).toBe(true);
    expect(['@gibbon/sdk/runtime', '@gibbon/sdkx', 'x@gibbon/sdk'].some(mapped)).toBe(false);
  });

  it("lets a test import './build.js' for ./build.ts, as TypeScript's node16 resolution wants", () => {
    const mapper = Object.entries(pipelineTestConfig('/app', fromSources).moduleNameMapper);
    const [pattern, target] = mapper.find(([key]) => new RegExp(key).test('./build.js')) ?? [];
    expect('./build.js'.replace(new RegExp(pattern ?? '^$'), target ?? '')).toBe('./build');
    expect(new RegExp(pattern ?? '^$').test('some-package/index.js')).toBe(false);
  });

  it('finds the SDK, its testing entry and @swc/jest from the CLI', () => {
    const at = where();
    expect(at.sdk).toMatch(/packages\/sdk\/(src\/index\.ts|dist\/index\.js)$/);
    expect(at.sdkTesting).toMatch(/packages\/sdk\/(src|dist)\/testing\/index\.(ts|js)$/);
    expect(at.swcJest).toMatch(/@swc\/jest/);
  });
});
