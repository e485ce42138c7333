// The page's own URLs are the ones the server and the CLI link to (`@gibbon/contracts`).
export { pagePaths as paths } from '@gibbon/contracts';
