/**
 * The light entry of the contracts: error classes, statuses and id patterns, with no schema
 * library and no document loader. `@gibbon/sdk` is bundled into every build script and imports
 * its values from here, which keeps a script's bundle (and its start-up) small.
 */
export * from './errors';
export * from './error-answers';
export * from './statuses';
export * from './patterns';
export * from './artifacts';
