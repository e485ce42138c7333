// What `pnpm start` tells the user once both services run.

/** @param {{ url: string, dataDir: string, adminToken?: string, adminTokenPath: string, notes: string[] }} info */
export function banner({ url, dataDir, adminToken, adminTokenPath, notes }) {
  const lines = ['', `Gibbon CI is running at ${url}`, `Data folder: ${dataDir}`];
  if (adminToken !== undefined) {
    lines.push(
      '',
      `Admin token (shown this once; saved with mode 0600 in ${adminTokenPath}):`,
      `  ${adminToken}`,
    );
  }
  lines.push(...notes.map((note) => `Note: ${note}`));
  lines.push(
    '',
    'Next steps:',
    `  export GIBBON_URL=${url} GIBBON_TOKEN=$(cat ${adminTokenPath})`,
    '  1. create an organisation and a repository:',
    `     curl -H "authorization: Bearer $GIBBON_TOKEN" -H 'content-type: application/json' -d '{"slug":"acme"}' $GIBBON_URL/v1/orgs`,
    `     curl -H "authorization: Bearer $GIBBON_TOKEN" -H 'content-type: application/json' -d '{"name":"app","url":"https://github.com/acme/app.git"}' $GIBBON_URL/v1/orgs/acme/repos`,
    '  2. add a GitHub webhook: POST $GIBBON_URL/v1/orgs/acme/repos/app/webhooks returns the payload URL and secret to paste into GitHub',
    "  3. or run a repository's .gibbon/build.ts locally, without the server: pnpm gibbon run path/to/repo",
    '',
    'Stop with Ctrl-C.',
    '',
  );
  return lines.join('\n');
}
