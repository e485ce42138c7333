import type { BuildTrigger } from './build-trigger';
import type { TriggerRules } from '../domain';
import { evaluateTriggerRules, manualTriggerVerdict, type TriggerVerdict } from './trigger-rules';

const sha = 'a'.repeat(40);

function push(overrides: Partial<BuildTrigger> = {}): BuildTrigger {
  return {
    event: 'push',
    githubRepo: 'acme/web',
    ref: 'refs/heads/main',
    branch: 'main',
    tag: null,
    commit: sha,
    message: 'Fix the header',
    author: null,
    changedFiles: ['src/a.ts'],
    changedFilesComplete: true,
    pullRequest: null,
    trusted: true,
    contentKey: 'k',
    ...overrides,
  };
}

function tagPush(tag: string): BuildTrigger {
  return push({ ref: `refs/tags/${tag}`, branch: null, tag });
}

function pullRequest(baseBranch: string): BuildTrigger {
  return push({
    event: 'pull_request',
    ref: 'refs/pull/7/head',
    branch: 'feature/x',
    message: null,
    changedFiles: [],
    changedFilesComplete: false,
    pullRequest: {
      number: 7,
      title: 't',
      headRepo: 'acme/web',
      headBranch: 'feature/x',
      baseBranch,
      fork: false,
    },
  });
}

function reasonOf(verdict: TriggerVerdict): string | undefined {
  return verdict.build ? undefined : verdict.reason;
}

function judge(rules: TriggerRules, trigger: BuildTrigger): string | undefined {
  return reasonOf(evaluateTriggerRules(rules, trigger));
}

describe('evaluateTriggerRules', () => {
  it('builds everything when no rule is set', () => {
    for (const trigger of [push(), tagPush('v1'), pullRequest('dev')]) {
      expect(evaluateTriggerRules({}, trigger)).toEqual({ build: true });
    }
  });

  describe('branches', () => {
    const rules = { branches: ['main', 'release/*'] };

    it('builds a pushed branch that matches a glob and names the rule when none does', () => {
      expect(judge(rules, push())).toBeUndefined();
      expect(judge(rules, push({ branch: 'release/1.2' }))).toBeUndefined();
      expect(judge(rules, push({ branch: 'feature/x' }))).toBe(
        'branch "feature/x" matches none of triggers.branches ["main","release/*"]',
      );
      // `*` stops at a slash; `**` does not.
      expect(judge(rules, push({ branch: 'release/1/hotfix' }))).toMatch(/matches none/);
      expect(judge({ branches: ['release/**'] }, push({ branch: 'release/1/hotfix' }))).toBe(
        undefined,
      );
    });

    it('judges a pull request by its base branch, not its head branch', () => {
      expect(judge(rules, pullRequest('main'))).toBeUndefined();
      expect(judge(rules, pullRequest('dev'))).toBe(
        'pull request base branch "dev" matches none of triggers.branches ["main","release/*"]',
      );
    });

    it('does not restrict tag pushes', () => {
      expect(judge(rules, tagPush('v1.0.0'))).toBeUndefined();
    });
  });

  describe('tags', () => {
    it('applies to tag pushes only', () => {
      const rules = { tags: ['v*'] };
      expect(judge(rules, tagPush('v1.0.0'))).toBeUndefined();
      expect(judge(rules, tagPush('nightly'))).toBe(
        'tag "nightly" matches none of triggers.tags ["v*"]',
      );
      expect(judge(rules, push({ branch: 'anything' }))).toBeUndefined();
    });
  });

  describe('events', () => {
    it('names the event kind a list leaves out: push, tag and pull_request apart', () => {
      const rules: TriggerRules = { events: ['push'] };
      expect(judge(rules, push())).toBeUndefined();
      expect(judge(rules, tagPush('v1'))).toBe(
        'event kind "tag" is not in triggers.events ["push"]',
      );
      expect(judge(rules, pullRequest('main'))).toBe(
        'event kind "pull_request" is not in triggers.events ["push"]',
      );
      expect(judge({ events: ['tag', 'pull_request'] }, push())).toBe(
        'event kind "push" is not in triggers.events ["tag","pull_request"]',
      );
    });

    it('is the only rule a manual build obeys', () => {
      expect(manualTriggerVerdict({})).toEqual({ build: true });
      expect(manualTriggerVerdict({ events: ['manual'], branches: ['nothing'] })).toEqual({
        build: true,
      });
      expect(reasonOf(manualTriggerVerdict({ events: ['push', 'pull_request'] }))).toBe(
        'event kind "manual" is not in triggers.events ["push","pull_request"]',
      );
    });
  });

  describe('paths and pathsIgnore', () => {
    it('paths: builds when at least one changed file matches', () => {
      const rules = { paths: ['src/**'] };
      expect(judge(rules, push({ changedFiles: ['docs/a.md', 'src/deep/b.ts'] }))).toBe(undefined);
      expect(judge(rules, push({ changedFiles: ['src/.env'] }))).toBeUndefined();
      expect(judge(rules, push({ changedFiles: ['docs/a.md', 'README.md'] }))).toBe(
        'no changed file ("docs/a.md", "README.md") matches triggers.paths ["src/**"]',
      );
    });

    it('pathsIgnore: ignores only when every changed file matches', () => {
      const rules = { pathsIgnore: ['docs/**', '*.md'] };
      expect(judge(rules, push({ changedFiles: ['docs/a.md', 'README.md'] }))).toBe(
        'every changed file ("docs/a.md", "README.md") matches triggers.pathsIgnore ["docs/**","*.md"]',
      );
      expect(judge(rules, push({ changedFiles: ['docs/a.md', 'src/a.ts'] }))).toBeUndefined();
    });

    it('shows a few files and counts the rest', () => {
      const files = ['a.md', 'b.md', 'c.md', 'd.md', 'e.md'];
      expect(judge({ paths: ['src/**'] }, push({ changedFiles: files }))).toBe(
        'no changed file ("a.md", "b.md", "c.md" and 2 more) matches triggers.paths ["src/**"]',
      );
    });

    it('both: a file must match paths and not every file may match pathsIgnore', () => {
      const rules = { paths: ['src/**'], pathsIgnore: ['src/**/*.md'] };
      expect(judge(rules, push({ changedFiles: ['src/notes.md'] }))).toMatch(
        /^every changed file \("src\/notes.md"\) matches triggers.pathsIgnore/,
      );
      expect(judge(rules, push({ changedFiles: ['src/notes.md', 'src/a.ts'] }))).toBe(undefined);
    });

    it('fails open: a push whose changed files are not known, or none listed, builds', () => {
      const rules = { paths: ['src/**'], pathsIgnore: ['**'] };
      expect(judge(rules, push({ changedFiles: ['docs/a.md'], changedFilesComplete: false }))).toBe(
        undefined,
      );
      expect(judge(rules, push({ changedFiles: [] }))).toBeUndefined();
    });

    it('does not apply to pull requests, whose payload lists no files', () => {
      expect(judge({ paths: ['src/**'] }, pullRequest('main'))).toBeUndefined();
    });
  });

  describe('skip markers', () => {
    it.each(['[skip ci]', '[ci skip]', '[no ci]', '[SKIP CI]', '[Ci Skip]'])(
      'a push whose head commit message holds %s is ignored, saying so',
      (marker) => {
        const verdict = evaluateTriggerRules({}, push({ message: `Docs only\n\n${marker}` }));
        expect(reasonOf(verdict)).toBe(`head commit message contains ${marker.toLowerCase()}`);
      },
    );

    it('applies to tag pushes too, and never to a message the payload did not carry', () => {
      expect(judge({}, push({ ...tagPush('v1'), message: 'release [skip ci]' }))).toBe(
        'head commit message contains [skip ci]',
      );
      expect(judge({}, push({ message: null }))).toBeUndefined();
      expect(judge({}, push({ message: 'skip ci without brackets' }))).toBeUndefined();
    });

    it('is judged after events and before branch and paths', () => {
      const message = 'wip [skip ci]';
      expect(judge({ events: ['tag'] }, push({ message }))).toMatch(/^event kind "push"/);
      expect(judge({ branches: ['main'] }, push({ branch: 'dev', message }))).toBe(
        'head commit message contains [skip ci]',
      );
    });
  });

  it('quotes hostile names and cuts long rule lists', () => {
    const rules = { branches: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] };
    expect(judge(rules, push({ branch: 'x\u001b[31m\n' }))).toBe(
      'branch "x\\u001b[31m\\n" matches none of triggers.branches ["a","b","c","d","e",… 2 more]',
    );
  });
});
