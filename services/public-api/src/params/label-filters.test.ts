import { labelFiltersMatch } from './label-filters';

const repoLabels = [
  { name: 'team', value: 'web' },
  { name: 'env', value: 'prod' },
];

describe('label filters', () => {
  it('an empty filter matches every repository, even one without labels', () => {
    expect(labelFiltersMatch([], repoLabels)).toBe(true);
    expect(labelFiltersMatch([], [])).toBe(true);
  });

  it('ANDs the labels within a group', () => {
    expect(
      labelFiltersMatch(
        [
          [
            { name: 'team', value: 'web' },
            { name: 'env', value: 'prod' },
          ],
        ],
        repoLabels,
      ),
    ).toBe(true);
    expect(
      labelFiltersMatch(
        [
          [
            { name: 'team', value: 'web' },
            { name: 'env', value: 'dev' },
          ],
        ],
        repoLabels,
      ),
    ).toBe(false);
  });

  it('ORs the groups', () => {
    const filters = [[{ name: 'team', value: 'api' }], [{ name: 'env', value: 'prod' }]];
    expect(labelFiltersMatch(filters, repoLabels)).toBe(true);
    expect(labelFiltersMatch(filters, [{ name: 'team', value: 'web' }])).toBe(false);
  });

  it('compares names and values exactly', () => {
    expect(labelFiltersMatch([[{ name: 'team', value: 'Web' }]], repoLabels)).toBe(false);
    expect(labelFiltersMatch([[{ name: 'env', value: 'web' }]], repoLabels)).toBe(false);
  });
});
