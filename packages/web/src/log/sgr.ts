import Anser from 'anser';
import { sgrCommands } from './sgr-commands';
import { commandsFor, plainStyle, styleOfEntry, type Style } from './style';

/** What anser puts in `decorations`, by the SGR code that sets it. */
const decorationOfCode: Readonly<Record<string, string>> = {
  '1': 'bold',
  '2': 'dim',
  '3': 'italic',
  '4': 'underline',
  '5': 'blink',
  '7': 'reverse',
  '8': 'hidden',
  '9': 'strikethrough',
};

/** Distinct (style, parameters) pairs remembered; a log of endless gradients starts over. */
const transitionsMax = 10_000;

/**
 * The graphic state of a terminal (colours and decorations), fed one SGR sequence at a time;
 * anser interprets the codes and keeps the state between calls, so colours carry across lines
 * and chunks. Each distinct style is one shared `classes` array, so spans of the same style
 * compare by reference and a long log holds no copy per span.
 *
 * A log repeats a few sequences (`ESC[32m`, `ESC[0m`) hundreds of thousands of times, and
 * anser takes about a microsecond each; so the style a sequence leads to from a style is
 * remembered and anser is skipped. Anser then lags behind, and before it next interprets a
 * sequence it is brought back to the current style by a reset and the style's own commands.
 */
export class SgrState {
  private readonly anser = new Anser();
  private readonly options = { use_classes: true };
  private style: Style = plainStyle;
  private anserBehind = false;
  private readonly styles = new Map<string, Style>([[plainStyle.key, plainStyle]]);
  private readonly transitions = new Map<string, Style>();

  /** `remember: false` makes every sequence go through anser (to compare with in tests). */
  constructor(private readonly remember = true) {}

  get classes(): readonly string[] {
    return this.style.classes;
  }

  /** Applies the parameters of one `ESC [ <params> m`; returns the classes now in effect. */
  apply(params: string): readonly string[] {
    const transition = `${this.style.key}\u0000${params}`;
    const known = this.transitions.get(transition);
    if (known) {
      this.anserBehind ||= known !== this.style;
      this.style = known;
      return known.classes;
    }
    if (this.anserBehind) this.feed(commandsFor(this.style));
    this.anserBehind = false;
    const next = this.feed(sgrCommands(params)) ?? this.style;
    if (this.transitions.size >= transitionsMax) this.transitions.clear();
    if (this.remember) this.transitions.set(transition, next);
    this.style = next;
    return next.classes;
  }

  /** Gives anser the commands; returns the style they lead to (undefined: none given). */
  private feed(commands: readonly string[]): Style | undefined {
    let entry: Anser.AnserJsonEntry | undefined;
    let decorations: readonly string[] = this.style.flags;
    for (const command of commands) {
      // anser adds a decoration again when it is already on, and one reset takes off one
      // copy: `1m 1m 22m` would stay bold. A terminal keeps one flag per decoration.
      const decoration = decorationOfCode[command];
      if (decoration && decorations.includes(decoration)) continue;
      entry = this.anser.processChunkJson(`${command}m`, this.options, true);
      decorations = [...entry.decorations];
    }
    return entry ? this.intern(styleOfEntry(entry)) : undefined;
  }

  private intern(style: Style): Style {
    const known = this.styles.get(style.key);
    if (known) return known;
    Object.freeze(style.classes);
    this.styles.set(style.key, style);
    return style;
  }
}
