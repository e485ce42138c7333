// Stands in for `npm publish` (the example never talks to a registry): checks that the
// token is there and that dist/ holds the build, and says what would be published.
import { readdirSync, readFileSync } from 'node:fs';

const token = process.env.NPM_TOKEN;
if (!token) {
  console.error('NPM_TOKEN is not set');
  process.exit(1);
}
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const files = readdirSync('dist');
console.log(`publishing ${name}@${version} (${files.join(', ')}) with token ${token}`);
