/**
 * The web page's URLs (`@gibbon/web`), path part only: the page routes them, and public-api
 * (commit status links) and the CLI (links it prints) build the same ones with
 * `GIBBON_PUBLIC_URL` in front, so every link a person gets opens its page.
 */
const part = encodeURIComponent;

export const pagePaths = {
  home: (): string => '/',
  repo: (org: string, repo: string): string => `/orgs/${part(org)}/repos/${part(repo)}`,
  repoSettings: (org: string, repo: string): string => `${pagePaths.repo(org, repo)}/settings`,
  build: (org: string, repo: string, number: number): string =>
    `${pagePaths.repo(org, repo)}/builds/${number}`,
  job: (org: string, repo: string, number: number, jobId: string): string =>
    `${pagePaths.build(org, repo, number)}/jobs/${part(jobId)}`,
  runners: (): string => '/runners',
};

/** A page's full URL: `pageUrl('https://ci.example.com', pagePaths.build('acme', 'web', 7))`. */
export function pageUrl(publicUrl: string, path: string): string {
  return publicUrl.replace(/\/+$/, '') + path;
}
