import { link, lstat, mkdir, realpath, symlink, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { isMissing } from '../fs-errors';
import { checkSymlinkTarget, entrySegments, refuse } from './entry-path';
import { openFor, openInside } from './open-inside';

/** The fields of a tar header this writer uses. */
export interface EntryHeader {
  name: string;
  type: string | null | undefined;
  mode?: number | undefined;
  mtime?: Date | undefined;
  linkname?: string | null | undefined;
}

/** Only permission bits survive: no setuid, setgid or sticky bits from an archive. */
const PERMISSION_BITS = 0o777;

/**
 * Writes tar entries under `root`, one at a time, refusing any that would land outside it.
 * Before each write every folder on the entry's path is checked with lstat: a symlink there
 * (say `link -> /etc`, then `link/passwd`) is refused, and an existing file or link at the
 * entry's own path is unlinked first, so nothing is ever written through a symlink.
 * Folder modes are applied by `finish()`, after the folders' contents are written.
 */
export class EntryWriter {
  private readonly folderModes: Array<[string, number]> = [];
  private realRoot: Promise<string> | undefined;

  constructor(private readonly root: string) {}

  /** `root`'s real path, resolved once: every file and folder opened must lie under it. */
  private inside(path: string, flags: number) {
    this.realRoot ??= realpath(this.root);
    return this.realRoot.then((realRoot) => openInside(path, realRoot, flags));
  }

  async write(header: EntryHeader, content: AsyncIterable<unknown>): Promise<void> {
    const segments = entrySegments(header.name);
    if (segments.length === 0) return; // the root folder itself ("./")
    await this.checkFolders(header.name, segments);
    const target = join(this.root, ...segments);
    const mode = (header.mode ?? 0o644) & PERMISSION_BITS;
    switch (header.type) {
      case 'directory':
        return this.writeFolder(header.name, target, mode);
      case 'file':
      case 'contiguous-file':
        return this.writeFile(header, target, mode, content);
      case 'symlink':
        checkSymlinkTarget(header.name, segments, header.linkname ?? '');
        await this.clear(header.name, target);
        return symlink(header.linkname ?? '', target);
      case 'link':
        return this.writeHardLink(header, target);
      default:
        throw refuse(header.name, `its type "${String(header.type)}" is not supported`);
    }
  }

  /**
   * Applies folder modes deepest first, so a read-only folder is filled before it closes;
   * through a handle of the folder itself, so a folder swapped for a symlink since is refused.
   */
  async finish(): Promise<void> {
    for (const [path, mode] of [...this.folderModes].reverse()) {
      const folder = await this.inside(path, openFor.folder);
      try {
        await folder.chmod(mode);
      } finally {
        await folder.close();
      }
    }
  }

  private async checkFolders(entryName: string, segments: string[]): Promise<void> {
    let current = this.root;
    for (const segment of segments.slice(0, -1)) {
      current = join(current, segment);
      const info = await lstatOrMissing(current);
      if (info === undefined) return; // created fresh by mkdir below: a real folder
      if (info.isSymbolicLink()) {
        throw refuse(entryName, `it would write through the symlink "${segment}"`);
      }
      if (!info.isDirectory()) throw refuse(entryName, `"${segment}" on its path is not a folder`);
    }
  }

  private async writeFolder(entryName: string, target: string, mode: number): Promise<void> {
    const existing = await lstatOrMissing(target);
    if (existing && !existing.isDirectory()) {
      throw refuse(entryName, 'a file or symlink already has its path');
    }
    await mkdir(target, { recursive: true, mode: 0o700 });
    this.folderModes.push([target, mode]);
  }

  private async writeFile(
    header: EntryHeader,
    target: string,
    mode: number,
    content: AsyncIterable<unknown>,
  ): Promise<void> {
    await this.clear(header.name, target);
    const handle = await this.inside(target, openFor.creating);
    try {
      for await (const chunk of content) await handle.write(chunk as Uint8Array);
      await handle.chmod(mode);
      if (header.mtime) await handle.utimes(header.mtime, header.mtime);
    } finally {
      await handle.close();
    }
  }

  /** A hard link may only point at a regular file already extracted inside the tree. */
  private async writeHardLink(header: EntryHeader, target: string): Promise<void> {
    const linkname = header.linkname ?? '';
    const outside = refuse(
      header.name,
      `it is a hard link to ${JSON.stringify(linkname)}, outside the tree`,
    );
    let sourceSegments: string[];
    try {
      sourceSegments = entrySegments(linkname);
    } catch {
      throw outside;
    }
    if (sourceSegments.length === 0) throw outside;
    await this.checkFolders(header.name, sourceSegments);
    const source = join(this.root, ...sourceSegments);
    const info = await lstatOrMissing(source);
    if (!info?.isFile()) {
      throw refuse(header.name, `it is a hard link to "${linkname}", not a file in the tree`);
    }
    await this.clear(header.name, target);
    await link(source, target);
  }

  /** Makes room for an entry: creates its folders, unlinks a file or symlink in its place. */
  private async clear(entryName: string, target: string): Promise<void> {
    await mkdir(join(target, '..'), { recursive: true });
    const existing = await lstatOrMissing(target);
    if (existing === undefined) return;
    if (existing.isDirectory()) throw refuse(entryName, 'a folder already has its path');
    await unlink(target);
  }
}

async function lstatOrMissing(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
