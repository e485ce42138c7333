// The package.json files of the packed CLI (scripts/pack.mjs). The workspace packages it loads
// are not on any registry, so they travel inside the CLI's tarball (`bundleDependencies`), and
// their third-party dependencies become the CLI's own, which npm installs beside them: Node
// finds them from the bundled packages through the CLI's node_modules.

const sourceCondition = '@gibbon/source';

/** `exports` without the `@gibbon/source` condition: an installed copy ships no src/. */
function withoutSourceCondition(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  const kept = Object.entries(exports).filter(([key]) => key !== sourceCondition);
  return Object.fromEntries(kept.map(([key, value]) => [key, withoutSourceCondition(value)]));
}

/** `manifest` without the fields an installed package has no use for, and without `dropped`. */
function installedFields(manifest, dropped = []) {
  const unused = new Set(['devDependencies', 'scripts', ...dropped]);
  const kept = Object.entries(manifest).filter(([key]) => !unused.has(key));
  return { ...Object.fromEntries(kept), exports: withoutSourceCondition(manifest.exports) };
}

/**
 * The manifest of a workspace package inside the tarball. It declares no dependencies: npm
 * counts whatever a bundled package depends on as part of the bundle and then leaves it
 * unextracted (an empty node_modules/cpu-features whose install script failed, with npm 11),
 * even when the CLI depends on it too.
 */
export function bundledManifest(manifest) {
  return installedFields(manifest, ['dependencies']);
}

/**
 * The CLI's manifest: its own dependencies and every bundled package's third-party ones (one
 * range per package: two different ranges cannot both be met by one copy beside them), and
 * the bundled packages as `bundleDependencies`. `pnpm pack` has already turned `workspace:*`
 * into versions.
 */
export function cliManifest(cli, bundled) {
  const names = new Set(bundled.map((manifest) => manifest.name));
  const dependencies = { ...cli.dependencies };
  const wantedBy = Object.fromEntries(Object.keys(dependencies).map((name) => [name, cli.name]));
  for (const manifest of bundled) {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (names.has(name)) continue;
      if (name.startsWith('@gibbon/')) {
        throw new Error(`${manifest.name} needs ${name}, which the packed CLI does not bundle.`);
      }
      if (dependencies[name] !== undefined && dependencies[name] !== range) {
        throw new Error(
          `${name}: ${manifest.name} wants ${range} and ${wantedBy[name]} ${dependencies[name]}; ` +
            'give both the same range to pack the CLI.',
        );
      }
      dependencies[name] = range;
      wantedBy[name] ??= manifest.name;
    }
  }
  return {
    ...installedFields(cli),
    dependencies: Object.fromEntries(
      Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    bundleDependencies: [...names].sort(),
  };
}
