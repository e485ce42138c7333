/** The CLI package folder. */
export declare const cliRoot: string;
/** The built CLI's entry, `dist/main.js`. */
export declare const builtCli: string;
/** No src/ beside bin/: an installed copy, which runs dist/ and never the sources. */
export declare const isInstalledCopy: boolean;
/** The workspace packages the CLI loads (folder names under packages/). */
export declare const workspaceDeps: string[];
/** The packages (this one and the workspace ones it loads) whose dist/ is missing or stale. */
export declare function staleBuilds(root?: string): string[];
