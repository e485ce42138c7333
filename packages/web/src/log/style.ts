import type Anser from 'anser';
import {
  decorationClasses,
  namedColourClass,
  nearestPaletteIndex,
  paletteClass,
  type ColourLayer,
} from './ansi-classes';

/** The graphic state that shows: colours as class names (before reverse video), and flags. */
export interface Style {
  readonly fg: string | undefined;
  readonly bg: string | undefined;
  /** Of `bold`, `dim`, `italic`, `underline`, `reverse`, in that order. */
  readonly flags: readonly string[];
  /** The classes of text in this style: reverse video applied, decorations after colours. */
  readonly classes: readonly string[];
  readonly key: string;
}

const flagOrder = [...decorationClasses, 'reverse'];
const codeOfFlag: Readonly<Record<string, string>> = {
  bold: '1',
  dim: '2',
  italic: '3',
  underline: '4',
  reverse: '7',
};
const colourNames = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

export function styleOf(
  fg: string | undefined,
  bg: string | undefined,
  flags: readonly string[],
): Style {
  let foreground = fg;
  let background = bg;
  if (flags.includes('reverse')) {
    // As a terminal draws reverse video of the default colours: black on white.
    foreground = bg?.replace(/^bg-/, 'fg-') ?? 'fg-black';
    background = fg?.replace(/^fg-/, 'bg-') ?? 'bg-white';
  }
  const decorations = flags.filter((flag) => flag !== 'reverse');
  const classes = [foreground, background, ...decorations].filter((name) => name !== undefined);
  return { fg, bg, flags, classes, key: `${fg ?? ''}|${bg ?? ''}|${flags.join(',')}` };
}

export const plainStyle = styleOf(undefined, undefined, []);

function colourClass(layer: ColourLayer, name: string | null, truecolor: string | null) {
  if (!name) return undefined;
  if (name === 'ansi-truecolor') {
    const [red = 0, green = 0, blue = 0] = (truecolor ?? '').split(',').map(Number);
    return paletteClass(layer, nearestPaletteIndex(red, green, blue));
  }
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) return paletteClass(layer, Number(palette[1]));
  return namedColourClass(layer, name);
}

/** Anser's state (after a call) as a style. Blink, hidden and strikethrough do not show. */
export function styleOfEntry(entry: Anser.AnserJsonEntry): Style {
  const fg: string | null = entry.fg;
  const bg: string | null = entry.bg;
  return styleOf(
    colourClass('fg', fg, entry.fg_truecolor),
    colourClass('bg', bg, entry.bg_truecolor),
    flagOrder.filter((flag) => entry.decorations.includes(flag as Anser.DecorationName)),
  );
}

function colourCode(name: string | undefined): string | undefined {
  const match = name ? /^(fg|bg)-(?:(bright-)?([a-z]+)|256-(\d+))$/.exec(name) : null;
  if (!match) return undefined;
  const [, layer, bright, colour, palette] = match;
  if (palette) return `${layer === 'fg' ? 38 : 48};5;${palette}`;
  const base = (layer === 'fg' ? 30 : 40) + (bright ? 60 : 0);
  return String(base + colourNames.indexOf(colour ?? ''));
}

/** SGR commands that take a reset terminal to `style` (a truecolor is its palette entry). */
export function commandsFor(style: Style): string[] {
  const colours = [colourCode(style.fg), colourCode(style.bg)].filter((code) => code !== undefined);
  return ['0', ...style.flags.map((flag) => codeOfFlag[flag] ?? '0'), ...colours];
}
