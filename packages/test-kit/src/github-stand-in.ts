import { extname, join } from 'node:path';

/**
 * The source of the GitHub stand-in image's program (git hosting and a recording REST API in one
 * server, for stacks in containers); e2e/run-it bundles it into the image with esbuild.
 */
export const githubStandInProgram = join(__dirname, `github-stand-in-server${extname(__filename)}`);
