/**
 * Splits SGR parameters into single commands anser understands (`38;5;196` stays one).
 * Colon sub-parameters (`38:2::255:0:0`, `4:3`) become their semicolon form, which is all
 * anser reads; underline colour (58) is dropped whole, as anser would read its arguments as
 * codes of their own (`58;2;1;3;4` is not bold, italic and underlined).
 */
export function sgrCommands(params: string): string[] {
  const groups = params.split(';');
  const commands: string[] = [];
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index]!;
    if (group.includes(':')) {
      const colon = colonCommand(group.split(':'));
      if (colon) commands.push(colon);
      continue;
    }
    if (group === '38' || group === '48' || group === '58') {
      const mode = groups[index + 1];
      const taken = mode === '5' ? 2 : mode === '2' ? 4 : 0;
      const command = groups.slice(index, index + 1 + taken).join(';');
      index += taken;
      if (group !== '58' && taken > 0) commands.push(command);
      continue;
    }
    commands.push(group === '' ? '0' : group);
  }
  return commands;
}

function colonCommand([code, ...rest]: string[]): string | undefined {
  if (code === '4') return rest[0] === '0' ? '24' : '4';
  if (code !== '38' && code !== '48') return undefined;
  if (rest[0] === '5') return `${code};5;${rest[1] ?? ''}`;
  // `38:2:<colour space>:r:g:b` per ITU T.416; `38:2:r:g:b` as many programs write it.
  const rgb = rest.length >= 5 ? rest.slice(2, 5) : rest.slice(1, 4);
  return rest[0] === '2' ? `${code};2;${rgb.join(';')}` : undefined;
}
