/**
 * The CSS class names the log model puts on spans. Colours are classes, never inline styles,
 * so the stylesheet decides every colour and a log cannot style the page.
 */

const colourNames = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

export type ColourLayer = 'fg' | 'bg';

/** In the order they appear in a span's `classes`, after the colours. */
export const decorationClasses = ['bold', 'dim', 'italic', 'underline'] as const;
export type DecorationClass = (typeof decorationClasses)[number];

/**
 * The 256-colour palette's indices that get a `fg-256-<n>` class. Indices 0–15 are the
 * standard and bright colours and get their names (`38;5;1` is `fg-red`), so the theme's
 * sixteen colours apply to them too.
 */
const firstPaletteIndex = 16;

function layerClasses(layer: ColourLayer): string[] {
  const named = colourNames.flatMap((name) => [`${layer}-${name}`, `${layer}-bright-${name}`]);
  const palette = Array.from(
    { length: 256 - firstPaletteIndex },
    (_, offset) => `${layer}-256-${offset + firstPaletteIndex}`,
  );
  return [...named, ...palette];
}

/** Every class name a span can carry, for the stylesheet's author to cover. */
export const ansiClassNames: readonly string[] = [
  ...layerClasses('fg'),
  ...layerClasses('bg'),
  ...decorationClasses,
];

/** `ansi-red` / `ansi-bright-red` (anser's names) → `fg-red` / `fg-bright-red`. */
export function namedColourClass(layer: ColourLayer, anserName: string): string | undefined {
  const name = anserName.replace(/^ansi-/, '');
  const base = name.replace(/^bright-/, '');
  return colourNames.includes(base) ? `${layer}-${name}` : undefined;
}

export function paletteClass(layer: ColourLayer, index: number): string | undefined {
  if (!Number.isInteger(index) || index < 0 || index > 255) return undefined;
  if (index < firstPaletteIndex) {
    const name = colourNames[index % 8] ?? 'white';
    return `${layer}-${index >= 8 ? 'bright-' : ''}${name}`;
  }
  return `${layer}-256-${index}`;
}

const cubeLevels = [0, 95, 135, 175, 215, 255];

/** The fixed RGB of a palette index 16–255 (xterm's 6×6×6 cube, then 24 greys). */
export function paletteRgb(index: number): readonly [number, number, number] {
  if (index >= 232) {
    const grey = 8 + 10 * (index - 232);
    return [grey, grey, grey];
  }
  const cube = index - 16;
  return [
    cubeLevels[Math.floor(cube / 36)]!,
    cubeLevels[Math.floor(cube / 6) % 6]!,
    cubeLevels[cube % 6]!,
  ];
}

/**
 * The stylesheet of the palette classes (`fg-256-<n>`, `bg-256-<n>`, n from 16), generated at
 * build time (`vite.config.ts`) so no 480 hand-written rules drift from `paletteClass`.
 */
export function paletteCss(): string {
  const rules: string[] = [];
  for (let index = firstPaletteIndex; index < 256; index++) {
    const hex = paletteRgb(index)
      .map((channel) => channel.toString(16).padStart(2, '0'))
      .join('');
    rules.push(`.fg-256-${index}{color:#${hex}}`, `.bg-256-${index}{background:#${hex}}`);
  }
  return `${rules.join('\n')}\n`;
}

function nearestCubeStep(value: number): number {
  let best = 0;
  for (let step = 1; step < cubeLevels.length; step++) {
    if (Math.abs(cubeLevels[step]! - value) < Math.abs(cubeLevels[best]! - value)) best = step;
  }
  return best;
}

function distance(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, index) => sum + (value - b[index]!) ** 2, 0);
}

/**
 * The palette index (16–255: the 6×6×6 cube and the 24 greys, whose RGB values are fixed by
 * xterm) nearest to a truecolor RGB. The sixteen themed colours are left out on purpose:
 * their RGB is the stylesheet's, not known here. Distance is per channel, so the nearest
 * cube entry is the nearest level of each channel; the grey ramp is the other candidate.
 */
export function nearestPaletteIndex(red: number, green: number, blue: number): number {
  const rgb = [red, green, blue];
  const steps = rgb.map(nearestCubeStep);
  const cube = steps.map((step) => cubeLevels[step]!);
  const cubeIndex = 16 + 36 * steps[0]! + 6 * steps[1]! + steps[2]!;
  const mean = (red + green + blue) / 3;
  const greyStep = Math.min(23, Math.max(0, Math.round((mean - 8) / 10)));
  const grey = 8 + 10 * greyStep;
  return distance(rgb, [grey, grey, grey]) < distance(rgb, cube) ? 232 + greyStep : cubeIndex;
}
