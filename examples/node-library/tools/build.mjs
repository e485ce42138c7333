// Builds dist/: the sources with a version banner, ready to publish.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync('dist', { recursive: true });
for (const name of readdirSync('src')) {
  const source = readFileSync(`src/${name}`, 'utf8');
  writeFileSync(`dist/${name}`, `/*! slugger ${version} */\n${source}`);
}
console.log(`built dist/ for slugger ${version}`);
