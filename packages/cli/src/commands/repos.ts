import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { repoRefOf } from '../api/config';
import { renderTable } from '../api/table';
import { writeLine } from '../io';
import { clientOf, environmentHelp, orgOf, printJson } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon repos [list] [--org ORG] [--json]
       gibbon repos create NAME --url CLONE_URL [--org ORG] [--main-branch B] [--github OWNER/REPO]
       gibbon repos delete ORG/REPO
       gibbon repos webhook ORG/REPO

Repositories the server builds. \`webhook\` makes a GitHub webhook for one and prints its
payload URL and secret (shown only now) to enter in GitHub's repository settings.

Options:
  --org ORG            the organisation (list: default every organisation the token sees;
                       create: default the org of GIBBON_REPO)
  --url CLONE_URL      the https clone URL (create)
  --main-branch B      the main branch (create; default main)
  --github OWNER/REPO  the GitHub repository whose webhooks build it (create)
  --json               print the API's JSON
  -h, --help           show this help

${environmentHelp}`;

export const reposCommand: Command = {
  name: 'repos',
  summary: 'List, create and delete repositories, and make their webhooks',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
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
      });
      if (values.json) return printJson(io, repo);
      writeLine(io.stdout, `Created repository ${repo.org}/${repo.name} (${repo.url})`);
      return 0;
    }
    if (action === 'delete' || action === 'webhook') {
      if (rest.length !== 1) throw new InputError(`Usage: gibbon repos ${action} ORG/REPO`);
      const ref = repoRefOf(rest[0], io.env);
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
      `Unknown repos action ${JSON.stringify(action)}; use list, create, delete or webhook.`,
    );
  },
};
