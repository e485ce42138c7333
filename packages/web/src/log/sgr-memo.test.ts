import { SgrState } from './sgr';

describe('remembered transitions', () => {
  /** A fixed pseudo-random sequence (a linear congruential generator), the same every run. */
  function* randomParams(count: number): Generator<string> {
    const pieces = [
      '0',
      '',
      '1',
      '2',
      '3',
      '4',
      '7',
      '22',
      '23',
      '24',
      '27',
      '31',
      '42',
      '39',
      '49',
      '93',
      '104',
      '5',
      '25',
    ];
    let seed = 12345;
    const next = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    for (let index = 0; index < count; index++) {
      const extended = [
        `38;5;${next(256)}`,
        `48;2;${next(256)};${next(256)};${next(256)}`,
        '38:5:200',
      ];
      const choices = [...pieces, ...extended];
      const length = 1 + next(3);
      yield Array.from({ length }, () => choices[next(choices.length)]).join(';');
    }
  }

  it('gives the same classes as anser alone, for any sequence of sequences', () => {
    const remembering = new SgrState();
    const plain = new SgrState(false);
    const all = [...randomParams(20_000)];
    const steps = [...all, ...all].map((params) => ({
      params,
      remembered: remembering.apply(params),
      plain: plain.apply(params),
    }));
    expect(steps.filter((step) => step.remembered.join(' ') !== step.plain.join(' '))).toEqual([]);
  });
});
