import { ansiClassNames, nearestPaletteIndex } from './ansi-classes';
import { SgrState } from './sgr';
import { sgrCommands } from './sgr-commands';

function classesAfter(...sequences: string[]): readonly string[] {
  const state = new SgrState();
  for (const params of sequences) state.apply(params);
  return state.classes;
}

describe('SGR to class names', () => {
  const colours = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

  it.each(colours.map((name, index) => [name, index]))('maps colour %s', (name, index) => {
    expect(classesAfter(`${30 + index}`)).toEqual([`fg-${name}`]);
    expect(classesAfter(`${40 + index}`)).toEqual([`bg-${name}`]);
    expect(classesAfter(`${90 + index}`)).toEqual([`fg-bright-${name}`]);
    expect(classesAfter(`${100 + index}`)).toEqual([`bg-bright-${name}`]);
  });

  it('maps decorations, in a fixed order after the colours', () => {
    expect(classesAfter('4;3;2;1;41;32')).toEqual([
      'fg-green',
      'bg-red',
      'bold',
      'dim',
      'italic',
      'underline',
    ]);
  });

  it('maps 256 colours: 0–15 by name, 16–255 by number', () => {
    expect(classesAfter('38;5;1')).toEqual(['fg-red']);
    expect(classesAfter('38;5;9')).toEqual(['fg-bright-red']);
    expect(classesAfter('38;5;208;48;5;236')).toEqual(['fg-256-208', 'bg-256-236']);
  });

  it('maps truecolor to the nearest of the 256 palette', () => {
    expect(classesAfter('38;2;255;0;0')).toEqual(['fg-256-196']);
    expect(classesAfter('48;2;128;128;128')).toEqual(['bg-256-244']);
  });

  it('reads the colon forms of extended colours', () => {
    expect(classesAfter('38:5:208')).toEqual(['fg-256-208']);
    expect(classesAfter('38:2::255:0:0')).toEqual(['fg-256-196']);
    expect(classesAfter('38:2:0:0:255')).toEqual(['fg-256-21']);
    expect(classesAfter('4:3')).toEqual(['underline']);
    expect(classesAfter('4', '4:0')).toEqual([]);
  });

  it('ignores the underline colour (58) without reading its arguments as codes', () => {
    expect(classesAfter('58;2;1;3;4')).toEqual([]);
    expect(classesAfter('58;5;4;31')).toEqual(['fg-red']);
  });

  it('resets everything with 0 and with an empty parameter list', () => {
    expect(classesAfter('1;31', '0')).toEqual([]);
    expect(classesAfter('1;31', '')).toEqual([]);
  });

  it('resets parts: 22 bold and dim, 23 italic, 24 underline, 39 and 49 colours', () => {
    expect(classesAfter('1;2;3;4;31;42', '22')).toEqual([
      'fg-red',
      'bg-green',
      'italic',
      'underline',
    ]);
    expect(classesAfter('3;4;31;42', '23;39')).toEqual(['bg-green', 'underline']);
    expect(classesAfter('4;31;42', '24;49')).toEqual(['fg-red']);
  });

  it('turns bold off once however often it was turned on (chalk nests styles so)', () => {
    expect(classesAfter('1', '1', '22')).toEqual([]);
  });

  it('swaps the colours for reverse video', () => {
    expect(classesAfter('31;44;7')).toEqual(['fg-blue', 'bg-red']);
    expect(classesAfter('7')).toEqual(['fg-black', 'bg-white']);
    expect(classesAfter('7;1', '27')).toEqual(['bold']);
  });

  it('gives no class for blink, hidden or strikethrough (hidden text stays readable)', () => {
    expect(classesAfter('5;8;9')).toEqual([]);
  });

  it('gives one shared array per style', () => {
    const state = new SgrState();
    const red = state.apply('31');
    state.apply('0');
    expect(state.apply('31')).toBe(red);
  });
});

describe('sgrCommands', () => {
  it('keeps extended colours together', () => {
    expect(sgrCommands('1;38;5;196;48;2;1;2;3;0')).toEqual(['1', '38;5;196', '48;2;1;2;3', '0']);
  });
});

describe('ansiClassNames', () => {
  it('lists 16 colours of each layer, 240 palette entries each, and 4 decorations', () => {
    expect(ansiClassNames).toHaveLength(2 * (16 + 240) + 4);
    expect(new Set(ansiClassNames).size).toBe(ansiClassNames.length);
    expect(ansiClassNames).toEqual(
      expect.arrayContaining(['fg-bright-white', 'bg-256-255', 'dim']),
    );
  });

  it('covers every class any SGR parameters produce', () => {
    const known = new Set(ansiClassNames);
    const seen = new Set<string>();
    const state = new SgrState();
    for (let code = 0; code < 110; code++)
      state.apply(String(code)).forEach((name) => seen.add(name));
    for (let index = 0; index < 256; index++) {
      state.apply(`7;38;5;${index};48;5;${255 - index}`).forEach((name) => seen.add(name));
      state
        .apply(`27;38;2;${index};${(index * 7) % 256};${(index * 13) % 256}`)
        .forEach((name) => seen.add(name));
    }
    expect([...seen].filter((name) => !known.has(name))).toEqual([]);
    expect(seen.size).toBeGreaterThan(400);
  });
});

describe('nearestPaletteIndex', () => {
  it('finds exact cube and grey entries', () => {
    expect(nearestPaletteIndex(0, 0, 0)).toBe(16);
    expect(nearestPaletteIndex(255, 255, 255)).toBe(231);
    expect(nearestPaletteIndex(95, 135, 175)).toBe(16 + 36 + 12 + 3);
    expect(nearestPaletteIndex(238, 238, 238)).toBe(255);
    expect(nearestPaletteIndex(8, 8, 8)).toBe(232);
  });

  it('agrees with a search over the whole palette', () => {
    const levels = [0, 95, 135, 175, 215, 255];
    const palette: number[][] = [];
    for (const red of levels)
      for (const green of levels) for (const blue of levels) palette.push([red, green, blue]);
    for (let step = 0; step < 24; step++)
      palette.push([8 + 10 * step, 8 + 10 * step, 8 + 10 * step]);
    const distance = (a: number[], b: number[]) =>
      a.reduce((sum, value, i) => sum + (value - b[i]!) ** 2, 0);
    for (let sample = 0; sample < 2000; sample++) {
      const rgb = [(sample * 37) % 256, (sample * 91) % 256, (sample * 53) % 256];
      const best = Math.min(...palette.map((entry) => distance(rgb, entry)));
      const [red = 0, green = 0, blue = 0] = rgb;
      expect(distance(rgb, palette[nearestPaletteIndex(red, green, blue) - 16]!)).toBe(best);
    }
  });
});
