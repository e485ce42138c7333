import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { repoRefOf } from '../api/config';
import { repoDetail, triggerRulesText } from '../api/format';
import { printable, renderTable } from '../api/table';
import { writeLine } from '../io';
import { clientOf, environmentHelp, orgOf, printJson } from './api-support';
import type { Command } from './command';
import { changedFields, repoEditOptions, repoEditUsage, repoUpdateOf } from './repo-update';
import { namesTriggerRules, triggerRulesOf } from './repo-triggers';
import { concurrencyOf, namesConcurrency } from './repo-concurrency';

const help = `Usage: gibbon repos [list] [--org ORG] [--json]
       gibbon repos show ORG/REPO [--json]
       gibbon repos create NAME --url CLONE_URL [--org ORG] [--main-branch B] [--github OWNER/REPO]
                           [TRIGGER RULES] [CONCURRENCY]
       gibbon repos edit ORG/REPO [--url CLONE_URL] [--main-branch B]
                         [--label NAME=VALUE... | --no-labels]
                         [--github OWNER/REPO | --no-github]
                         [--github-token-stdin | --no-github-token] [--untrusted-network on|off]
                         [TRIGGER RULES | --no-triggers] [CONCURRENCY] [--json]
       gibbon repos delete ORG/REPO
       gibbon repos webhook ORG/REPO

Repositories the server builds. \`show\` prints one (whether a GitHub token is stored, never
the token). \`edit\` changes only what its options name, at least one. \`webhook\` makes a GitHub
webhook for one and prints its payload URL and secret (shown only now) to enter in GitHub's
repository settings.

Options:
  --org ORG              the organisation (list: default every organisation the token sees;
                         create: default the org of GIBBON_REPO)
  --url CLONE_URL        the https clone URL (create, edit; on a git host the server allows)
  --main-branch B        the main branch (create: default main; edit)
  --github OWNER/REPO    the GitHub repository whose webhooks build it and that gets commit
                         statuses (create, edit); --no-github removes it (edit)
  --label NAME=VALUE     the repository's labels (edit, repeatable): they replace all its
                         labels, so name every one to keep; --no-labels removes them all.
                         A label runs-on=VALUE builds it only on runners with that label;
                         parameter sets with label filters apply by them
  --github-token-stdin   read a GitHub token (commit statuses, private clones) from stdin, one
                         line, e.g. \`gh auth token | gibbon repos edit ORG/REPO
                         --github-token-stdin\`; stored encrypted, never shown (edit).
                         --no-github-token removes the stored one
  --untrusted-network on|off
                         whether builds of fork pull requests get a network (edit; default
                         off: their script and containers have none). On gives a stranger's
                         code what a trusted build reaches, the runner's loopback included;
                         they still get no parameters
  --json                 print the API's JSON
  -h, --help             show this help

Trigger rules (create, edit), which GitHub deliveries build the repository; each takes a
comma-separated list (or is repeated) and replaces that rule; an empty value ('') removes it,
--no-triggers removes them all (edit). A rule not set restricts nothing:
  --branches GLOBS       pushes to these branches, and pull requests into them, build
                         (e.g. 'main,release/*'; * stays within a /, ** crosses it)
  --tags GLOBS           tag pushes of these tags build (e.g. 'v*')
  --paths GLOBS          a push builds only if it changed a file matching one (e.g. 'src/**')
  --paths-ignore GLOBS   a push is ignored if every file it changed matches one
  --events KINDS         which of push, tag, pull_request, manual, schedule build;
                         without manual, \`gibbon trigger\` is refused
A push whose head commit message holds [skip ci], [ci skip] or [no ci] does not build. Path
rules judge the files GitHub's push lists; when it may not list them all (a new branch, a
forced push, 20 commits or more) and for pull requests, they let the build happen. A delivery
turned away is answered and recorded as ignored with the rule that did it.

Concurrency (create, edit), how the builds of one branch or one pull request share runners:
  --concurrency MODE     parallel (default: they run at once), queue (one at a time, oldest
                         first) or cancel-previous (one at a time, and a new build cancels
                         the older queued and running ones)
  --protected-branches GLOBS
                         branches a new build never cancels under cancel-previous: their
                         builds queue instead (e.g. 'main,release/*'; '' removes them)

${environmentHelp}`;

export const reposCommand: Command = {
  name: 'repos',
  summary: 'List, show, create, edit and delete repositories, and make their webhooks',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      ...repoEditOptions,
      org: { type: 'string' },
      url: { type: 'string' },
      'main-branch': { type: 'string' },
      github: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, help), 0);
    const [action = 'list', ...rest] = positionals;
    const client = clientOf(io);
    if (action === 'list') {
      const org = values.org ?? io.env.GIBBON_REPO?.split('/')[0];
      const orgs = org ? [org] : (await client.listOrgs()).items.map((item) => item.slug);
      const repos = (await Promise.all(orgs.map((slug) => client.listRepos(slug)))).flatMap(
        (list) => list.items,
      );
      if (values.json) return printJson(io, { items: repos });
      const rows = repos.map((repo) => [`${repo.org}/${repo.name}`, repo.mainBranch, repo.url]);
      for (const line of renderTable(['REPO', 'MAIN', 'URL'], rows)) writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'create') {
      if (rest.length !== 1 || !values.url) {
        throw new InputError('Usage: gibbon repos create NAME --url CLONE_URL [--org ORG]');
      }
      const repo = await client.createRepo(orgOf(values.org, io.env), {
        name: rest[0]!,
        url: values.url,
        ...(values['main-branch'] ? { mainBranch: values['main-branch'] } : {}),
        ...(values.github ? { githubRepo: values.github } : {}),
        ...(namesTriggerRules(values) ? { triggers: triggerRulesOf(values, {}) } : {}),
        ...(namesConcurrency(values) ? { concurrency: concurrencyOf(values, {}) } : {}),
      });
      if (values.json) return printJson(io, repo);
      writeLine(io.stdout, `Created repository ${repo.org}/${repo.name} (${repo.url})`);
      if (namesTriggerRules(values)) {
        writeLine(io.stdout, `Trigger rules: ${printable(triggerRulesText(repo.triggers))}`);
      }
      return 0;
    }
    if (action === 'edit') {
      if (rest.length !== 1) throw new InputError(`Usage: ${repoEditUsage}.`);
      const ref = repoRefOf(rest[0], io.env);
      const update = await repoUpdateOf(values, io, () => client.getRepo(ref));
      const repo = await client.updateRepo(ref, update);
      if (values.json) return printJson(io, repo);
      writeLine(io.stdout, `Changed repository ${ref.org}/${ref.repo} (${changedFields(update)}).`);
      for (const line of repoDetail(repo).slice(1)) writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'show' || action === 'delete' || action === 'webhook') {
      if (rest.length !== 1) throw new InputError(`Usage: gibbon repos ${action} ORG/REPO`);
      const ref = repoRefOf(rest[0], io.env);
      if (action === 'show') {
        const repo = await client.getRepo(ref);
        if (values.json) return printJson(io, repo);
        for (const line of repoDetail(repo)) writeLine(io.stdout, line);
        return 0;
      }
      if (action === 'delete') {
        await client.deleteRepo(ref);
        writeLine(io.stdout, `Deleted repository ${ref.org}/${ref.repo}`);
        return 0;
      }
      const webhook = await client.createWebhook(ref);
      if (values.json) return printJson(io, webhook);
      writeLine(io.stdout, `Created webhook ${webhook.id} for ${ref.org}/${ref.repo}.`);
      writeLine(io.stdout, `Payload URL: ${webhook.payloadUrl}`);
      writeLine(io.stdout, `Secret, shown only now: ${webhook.secret}`);
      return 0;
    }
    throw new InputError(
      `Unknown repos action ${JSON.stringify(action)}; use list, show, create, edit, delete or webhook.`,
    );
  },
};
