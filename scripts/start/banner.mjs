// What `pnpm start` tells the user once both services run.

/** @param {{ url: string, dataDir: string, adminToken?: string, adminTokenPath: string, notes: string[] }} info */
export function banner({ url, dataDir, adminToken, adminTokenPath, notes }) {
  const lines = [
    '',
    `Gibbon CI is running at ${url}`,
    `Open ${url} in a browser and sign in with the admin token to see repositories and builds.`,
    `Data folder: ${dataDir}`,
  ];
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
    `  export GIBBON_SERVER_URL=${url} GIBBON_TOKEN=$(cat ${adminTokenPath})`,
    '  1. create an organisation and a repository:',
    '     pnpm gibbon orgs create acme',
    '     pnpm gibbon repos create app --org acme --url https://github.com/acme/app.git --github acme/app',
    '  2. add a GitHub webhook: pnpm gibbon repos webhook acme/app prints the payload URL and secret to paste into GitHub',
    `  3. watch the builds in the browser at ${url}/orgs/acme/repos/app, or: pnpm gibbon builds --repo acme/app -f`,
    "  4. or run a repository's .gibbon/build.ts locally, without the server: pnpm gibbon run path/to/repo",
    '  pnpm gibbon --help lists every command.',
    '',
    'Stop with Ctrl-C.',
    '',
  );
  return lines.join('\n');
}
