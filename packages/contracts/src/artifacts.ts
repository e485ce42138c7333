/**
 * The job-log line for an artifact saved with hidden files (`.git/`, `.env`, `.npmrc`): they are
 * kept as they are, and masking does not reach into archives, so the log names them and a user
 * can leave them out. `hidden` lists each hidden file, and each hidden folder once (with "/").
 */
export function hiddenFilesWarning(id: string, hidden: readonly string[]): string {
  const shown = hidden.slice(0, 5).join(', ');
  const more = hidden.length > 5 ? `, and ${hidden.length - 5} more` : '';
  return `Artifact ${id} holds hidden files and folders (${shown}${more}); artifacts are stored as they are, not masked: make sure none of them holds a secret, or save a folder without them.`;
}
