import { readFile } from 'node:fs/promises';
import { InputError, PARAM_NAME_PATTERN } from '@gibbon/contracts';

function checkedName(name: string, where: string): string {
  if (!PARAM_NAME_PATTERN.test(name)) {
    throw new InputError(
      `${where}: ${JSON.stringify(name)} is not a parameter name (letters, digits and _, not starting with a digit).`,
    );
  }
  return name;
}

/**
 * `--param K=V` (or `--env K=V`) values, repeatable; the last of a name wins. The value may
 * contain `=`.
 */
export function parseParamArgs(
  values: readonly string[],
  flag = '--param',
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const entry of values) {
    const at = entry.indexOf('=');
    if (at < 1) throw new InputError(`${flag} ${JSON.stringify(entry)}: expected NAME=VALUE.`);
    params[checkedName(entry.slice(0, at), flag)] = entry.slice(at + 1);
  }
  return params;
}

/** A `.env` file: `NAME=value` lines, `#` comments, optional `export `, quoted values. */
function parseDotenv(text: string, file: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = line.match(/^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/);
    if (!match) throw new InputError(`${file}:${index + 1}: expected NAME=VALUE.`);
    const [, name = '', rawValue = ''] = match;
    params[checkedName(name, `${file}:${index + 1}`)] = unquote(rawValue);
  }
  return params;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

function parseJsonParams(text: string, file: string): Record<string, string> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError(`${file} must hold one JSON object of parameter names to string values.`);
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(document)) {
    if (typeof value !== 'string') {
      throw new InputError(`${file}: the value of ${name} must be a string.`);
    }
    params[checkedName(name, file)] = value;
  }
  return params;
}

/**
 * Parameters given as text (a pipe): a JSON object when it starts with `{`, otherwise `.env`
 * syntax; `source` names it in messages.
 */
export function parseParamText(text: string, source: string): Record<string, string> {
  return text.trimStart().startsWith('{')
    ? parseJsonParams(text, source)
    : parseDotenv(text, source);
}

/** `--param-file FILE`: JSON when the file ends in `.json`, otherwise `.env` syntax. */
export async function readParamFile(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the parameter file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return file.endsWith('.json') ? parseJsonParams(text, file) : parseDotenv(text, file);
}
