// A deliberately small linter (no dependencies to install): no `var`, no trailing spaces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = process.argv.slice(2).flatMap(function walk(path) {
  return statSync(path).isDirectory()
    ? readdirSync(path).flatMap((name) => walk(join(path, name)))
    : [path];
});
let problems = 0;
for (const file of files.filter((name) => name.endsWith('.js'))) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      const found = [];
      if (/\bvar\s/.test(line)) found.push('use const or let, not var');
      if (/\s+$/.test(line)) found.push('trailing whitespace');
      for (const problem of found) console.log(`${where}: ${problem}`);
      problems += found.length;
    });
}
console.log(`${files.length} files checked, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
