// Two import rules of this repository that no-restricted-imports can't say, because both depend
// on where the importing file is (docs/architecture.md, "Import rules").
'use strict';
const { existsSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

/** Every import, re-export, `import()` and `require()` with a string literal, and its literal. */
function eachSpecifier(check) {
  const literal = (node) =>
    node?.type === 'Literal' && typeof node.value === 'string' ? node : undefined;
  const fromSource = (node) => {
    const source = literal(node.source);
    if (source) check(source);
  };
  return {
    ImportDeclaration: fromSource,
    ExportNamedDeclaration: fromSource,
    ExportAllDeclaration: fromSource,
    ImportExpression: fromSource,
    CallExpression(node) {
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'require') return;
      const source = literal(node.arguments[0]);
      if (source) check(source);
    },
  };
}

const packageRoots = new Map();
/** The folder of the nearest package.json above `folder`. */
function packageRootOf(folder) {
  if (!packageRoots.has(folder)) {
    const parent = dirname(folder);
    packageRoots.set(
      folder,
      existsSync(join(folder, 'package.json')) || parent === folder
        ? folder
        : packageRootOf(parent),
    );
  }
  return packageRoots.get(folder);
}

const isInside = (folder, path) => path === folder || path.startsWith(folder + sep);

/** `'../../build-runner/src/config'` from public-api's tests: another package's files. */
const stayInPackage = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      escapes:
        "'{{spec}}' leaves this package ({{pkg}}); import another package through its name (e.g. '@gibbon/contracts'), never its files.",
    },
  },
  create(context) {
    const file = context.filename;
    const root = packageRootOf(dirname(file));
    return eachSpecifier((source) => {
      if (!source.value.startsWith('.')) return;
      const target = resolve(dirname(file), source.value);
      if (isInside(root, target)) return;
      context.report({
        node: source,
        messageId: 'escapes',
        data: { spec: source.value, pkg: relative(context.cwd, root) || '.' },
      });
    });
  },
};

/**
 * The folders of a service's `src` that are features: from outside a feature, only its index
 * (the folder itself) may be imported. Options: `{ src, features }`, `src` relative to the cwd.
 */
const featureIndex = {
  meta: {
    type: 'problem',
    schema: [
      {
        type: 'object',
        properties: {
          src: { type: 'string' },
          features: { type: 'array', items: { type: 'string' } },
        },
        required: ['src', 'features'],
        additionalProperties: false,
      },
    ],
    messages: {
      internal:
        "'{{spec}}' reaches into the {{feature}} feature; import it through its index ('{{index}}') and export what is needed there.",
    },
  },
  create(context) {
    const { src, features } = context.options[0];
    const srcRoot = resolve(context.cwd, src);
    const file = context.filename;
    const featureOf = (path) => {
      if (!isInside(srcRoot, path)) return undefined;
      const [first, ...rest] = relative(srcRoot, path).split(sep);
      return features.includes(first) ? { name: first, rest: rest.join('/') } : undefined;
    };
    const own = featureOf(file);
    return eachSpecifier((source) => {
      if (!source.value.startsWith('.')) return;
      const target = featureOf(resolve(dirname(file), source.value));
      if (!target || target.name === own?.name) return;
      if (target.rest === '' || target.rest === 'index') return;
      let index = relative(dirname(file), join(srcRoot, target.name)) || '.';
      if (!index.startsWith('.')) index = `./${index}`;
      context.report({
        node: source,
        messageId: 'internal',
        data: { spec: source.value, feature: target.name, index },
      });
    });
  },
};

module.exports = {
  gibbonImports: { rules: { 'stay-in-package': stayInPackage, 'feature-index': featureIndex } },
};
