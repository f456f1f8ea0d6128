import * as fs from 'fs';
import * as path from 'path';
import { EksplanError } from '../../simulation/model/errors';

// Safe `--out` handling for every command that writes reports: the directory is checked (and created one
// level at a time) before any work is done, so a bad --out fails in a second with one line, never after a
// long simulation, never by replacing an existing file, and never by writing into the input.

/** Pseudo file systems: a report written there is lost or changes the kernel's settings. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Checks `--out` and creates it (and missing parents) so the reports can be written. Refuses a path that names
 * an existing file or goes through one, a read-only or virtual directory, and a directory inside one of the
 * inputs (`simulate DIR --out DIR`). Returns the directory.
 */
export function prepareOutputDirectory(out: string, inputs: readonly (string | undefined)[] = []): string {
  const field = '--out';
  if (out.trim() === '') throw new EksplanError('must name a directory', { field });
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(out)) throw new EksplanError('must not contain control characters', { field });
  const target = path.resolve(out);
  // The nearest part of the path that exists: everything below it is created here, one level at a time.
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(existing);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        missing.unshift(path.basename(existing));
        existing = path.dirname(existing);
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new EksplanError(`'${out}' cannot be used: ${describe(error)}`, { field });
    }
    if (stat) {
      if (!stat.isDirectory()) {
        throw new EksplanError(existing === target
          ? `'${out}' is an existing file, not a directory; give a directory for the reports (the file is left as it is)`
          : `'${out}' goes through '${path.relative(process.cwd(), existing) || existing}', which is a file, not a directory`, { field });
      }
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  const realExisting = fs.realpathSync(existing);
  const realTarget = path.join(realExisting, ...missing);
  const virtual = VIRTUAL_ROOTS.find((root) => realTarget === root || realTarget.startsWith(`${root}${path.sep}`));
  if (virtual) throw new EksplanError(`'${out}' is on the ${virtual} pseudo file system; give a directory on disk`, { field });
  for (const input of inputs) {
    if (input === undefined || !fs.existsSync(input) || !fs.statSync(input).isDirectory()) continue;
    const realInput = fs.realpathSync(input);
    const relative = path.relative(realInput, realTarget);
    if (relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))) {
      throw new EksplanError(`'${out}' is inside the input '${input}'; eksplan never writes into its input, give another directory`, { field });
    }
  }
  if (!isWritable(realExisting)) throw new EksplanError(`'${existing}' is read-only; give a writable directory`, { field });
  let current = realExisting;
  for (const part of missing) {
    current = path.join(current, part);
    try {
      fs.mkdirSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new EksplanError(`could not create '${current}': ${describe(error)}`, { field });
    }
  }
  return target;
}

/**
 * Writable for this process and meant to be written: a directory with no write bit at all is read-only even
 * for root (who passes access(2) checks), as a user who made it so would expect.
 */
function isWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return false;
  }
  return (fs.statSync(dir).mode & 0o222) !== 0;
}

/**
 * The files a command is about to write into an already checked directory: an existing entry of that name
 * that is not a regular file (a directory, or a symbolic link that would redirect the write elsewhere) is
 * refused rather than replaced or followed.
 */
export function checkOutputFiles(dir: string, names: readonly string[]): void {
  for (const name of names) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path.join(dir, name));
    } catch {
      continue;
    }
    if (!stat.isFile()) throw new EksplanError(`'${path.join(dir, name)}' exists and is not a regular file (a directory or a link); eksplan does not replace it`, { field: '--out' });
  }
}

/** An fs error as one line for the user: the system's reason (EACCES, ENOSPC, EROFS), without a stack. */
export function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded', ENOTDIR: 'a part of the path is a file', EISDIR: 'is a directory', ENAMETOOLONG: 'the name is too long', ELOOP: 'too many symbolic links',
  };
  return code !== undefined && Object.hasOwn(reasons, code) ? `${reasons[code]} (${code})` : code ?? 'failed';
}

/** Runs a write; an fs error becomes a one-line EksplanError naming the --out directory. */
export function writingTo<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof EksplanError || (error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new EksplanError(`could not write the reports into '${dir}': ${describe(error)}`, { field: '--out' });
  }
}
