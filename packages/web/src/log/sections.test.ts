import { LogModel } from './model';

function sectionsOf(...chunks: string[]) {
  const model = new LogModel();
  for (const chunk of chunks) model.append(chunk);
  model.finish();
  return model.sections;
}

describe('sections', () => {
  it('opens on ::group:: and closes on ::endgroup::, the marker lines staying lines', () => {
    const model = new LogModel();
    model.append('before\n::group::Install\nnpm ci\n::endgroup::\nafter\n');
    model.finish();
    expect(model.sections).toEqual([{ title: 'Install', start: 2, end: 4, depth: 0 }]);
    expect(model.lines.map((line) => line.plain)).toContain('::group::Install');
  });

  it('nests, ::endgroup:: closing the innermost', () => {
    expect(
      sectionsOf('::group::outer\n::group::inner\nx\n::endgroup::\ny\n::endgroup::\n'),
    ).toEqual([
      { title: 'outer', start: 1, end: 6, depth: 0 },
      { title: 'inner', start: 2, end: 4, depth: 1 },
    ]);
  });

  it('reads markers behind colours', () => {
    expect(
      sectionsOf('\x1b[36m::group::\x1b[1mBuild\x1b[0m\n\x1b[36m::endgroup::\x1b[0m\n'),
    ).toEqual([{ title: 'Build', start: 1, end: 2, depth: 0 }]);
  });

  it('leaves a section open (end undefined) until it closes', () => {
    const model = new LogModel();
    model.append('::group::Test\nrunning\n');
    expect(model.sections).toEqual([{ title: 'Test', start: 1, end: undefined, depth: 0 }]);
    model.append('::endgroup::\n');
    expect(model.sections[0]?.end).toBe(3);
  });

  it('ends sections still open at the last line when the log ends', () => {
    expect(sectionsOf('::group::a\n::group::b\nx\ny')).toEqual([
      { title: 'a', start: 1, end: 4, depth: 0 },
      { title: 'b', start: 2, end: 4, depth: 1 },
    ]);
    expect(sectionsOf('::group::only marker')).toEqual([
      { title: 'only marker', start: 1, end: 1, depth: 0 },
    ]);
  });

  it('ignores an ::endgroup:: with no open section, and names an untitled group', () => {
    expect(sectionsOf('::endgroup::\n::group::\nx\n::endgroup::\n')).toEqual([
      { title: 'Group', start: 2, end: 4, depth: 0 },
    ]);
  });

  it('reads GitLab markers as GitLab writes them: marker, \\r, erase, header', () => {
    const log = [
      '\x1b[0Ksection_start:1700000000:build_step[collapsed=true]\r\x1b[0KBuilding the app\n',
      'compiling\n',
      '\x1b[0Ksection_end:1700000010:build_step\r\x1b[0K\n',
      'after\n',
    ].join('');
    const model = new LogModel();
    model.append(log);
    model.finish();
    expect(model.sections).toEqual([{ title: 'Building the app', start: 1, end: 3, depth: 0 }]);
    expect(model.lines.map((line) => line.plain)).toEqual([
      'Building the app',
      'compiling',
      '',
      'after',
    ]);
  });

  it('takes the GitLab section’s name as its title when it has no header', () => {
    expect(sectionsOf('section_start:1:deps\nx\nsection_end:2:deps\n')).toEqual([
      { title: 'deps', start: 1, end: 3, depth: 0 },
    ]);
  });

  it('closes a GitLab section by name, with the sections still open inside it', () => {
    expect(
      sectionsOf('section_start:1:a\n::group::inner\nx\nsection_end:2:a\nsection_end:3:unknown\n'),
    ).toEqual([
      { title: 'a', start: 1, end: 4, depth: 0 },
      { title: 'inner', start: 2, end: 4, depth: 1 },
    ]);
  });

  it('does not take a marker in the middle of a line', () => {
    expect(sectionsOf('echo ::group::x\nsee section_start:1:y\n')).toEqual([]);
  });
});
