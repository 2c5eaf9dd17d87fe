/**
 * File-level helpers for the release: hashing, brotli/gzip siblings, CSV with BOM, the build lock and
 * atomic directory swaps.
 */
import { createHash } from 'node:crypto';
import { constants as fsc, createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zc, createBrotliCompress, createGzip } from 'node:zlib';

export interface FileHash {
	sha256: string;
	bytes: number;
}

export async function sha256File(path: string): Promise<FileHash> {
	const h = createHash('sha256');
	let bytes = 0;
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
		h.update(chunk as Buffer);
		bytes += (chunk as Buffer).length;
	}
	return { sha256: h.digest('hex'), bytes };
}

/** Files at least this large are compressed with the faster settings (see `compressSiblings`). */
export const LARGE_FILE_BYTES = 16 << 20;

/**
 * Write `path.br` and `path.gz` (a fallback for clients without brotli, so speed first) next to `path`.
 * Brotli quality 5 / gzip level 4; files of `LARGE_FILE_BYTES` or more (the raw hours and points tables,
 * hundreds of MB at scale 10) get brotli quality 4 / gzip level 1: 2.5× and 1.2× faster, about 1 % and
 * 2 % larger.
 */
export async function compressSiblings(path: string): Promise<Record<'br' | 'gz', FileHash>> {
	const size = (await stat(path)).size;
	const large = size >= LARGE_FILE_BYTES;
	// Each compressed stream is hashed as it is written (SHA256SUMS then needs no second read).
	const hashed = async (ext: 'br' | 'gz', z: Transform): Promise<FileHash> => {
		const h = createHash('sha256');
		let bytes = 0;
		const tap = new Transform({
			transform(chunk: Buffer, _enc, cb) {
				h.update(chunk);
				bytes += chunk.length;
				cb(null, chunk);
			}
		});
		await pipeline(
			createReadStream(path, { highWaterMark: 1 << 20 }),
			z,
			tap,
			createWriteStream(`${path}.${ext}`)
		);
		return { sha256: h.digest('hex'), bytes };
	};
	const [br, gz] = await Promise.all([
		hashed(
			'br',
			createBrotliCompress({
				params: {
					[zc.BROTLI_PARAM_QUALITY]: large ? 4 : 5,
					[zc.BROTLI_PARAM_SIZE_HINT]: size,
					[zc.BROTLI_PARAM_LGWIN]: 22
				}
			})
		),
		hashed('gz', createGzip({ level: large ? 1 : 4 }))
	]);
	return { br, gz };
}

/** Every file under `dir` (relative paths, `/`-separated, sorted). */
export async function listFiles(dir: string): Promise<string[]> {
	const out: string[] = [];
	const walk = async (d: string) => {
		for (const e of await readdir(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) await walk(p);
			else out.push(relative(dir, p).split('\\').join('/'));
		}
	};
	await walk(dir);
	return out.sort();
}

/**
 * `sha256sum`-compatible listing of every file in `dir` (except SHA256SUMS itself). `known`: hashes
 * already computed while the files were written (relative path → hex), checked against the file size
 * where given; other files are read and hashed here.
 */
export async function writeSha256Sums(
	dir: string,
	known: ReadonlyMap<string, FileHash> = new Map()
): Promise<void> {
	const lines: string[] = [];
	for (const f of await listFiles(dir)) {
		if (f === 'SHA256SUMS') continue;
		const k = known.get(f);
		const sha =
			k && (await stat(join(dir, f))).size === k.bytes ? k.sha256 : (await sha256File(join(dir, f))).sha256;
		lines.push(`${sha}  ${f}`);
	}
	await writeFile(join(dir, 'SHA256SUMS'), lines.join('\n') + '\n');
}

const pidAlive = (pid: number): boolean => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/**
 * Exclusive build lock (a file created with O_EXCL holding the pid). A lock left by a process that no
 * longer exists is taken over (under a short-lived `<lock>.takeover` file, so two builds cannot both take
 * over the same stale lock); a live one is an error. Returns the release function.
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
	const readPid = async (p: string) => Number((await readFile(p, 'utf8').catch(() => '')).trim());
	for (let attempt = 0; attempt < 5; attempt++) {
		try {
			const fh = await open(path, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o644);
			await fh.writeFile(`${process.pid}\n`);
			await fh.close();
			return async () => {
				await rm(path, { force: true });
			};
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = await readPid(path);
			if (pid && pid !== process.pid && pidAlive(pid))
				throw new Error(
					`另一个发布构建正在进行（进程 ${pid}，锁文件 ${path}） / another release build is running (pid ${pid}, lock ${path})`
				);
			if (pid === process.pid)
				throw new Error(`本进程已持有发布锁 ${path} / this process already holds the release lock ${path}`);
			// Stale (or still being written: an empty file younger than a second is left alone this round).
			const takeover = `${path}.takeover`;
			let tk;
			try {
				tk = await open(takeover, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o644);
				await tk.writeFile(`${process.pid}\n`);
				await tk.close();
			} catch (e2) {
				if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2;
				const owner = await readPid(takeover);
				if (!owner || !pidAlive(owner)) await rm(takeover, { force: true });
				await new Promise((r) => setTimeout(r, 50));
				continue;
			}
			try {
				const again = await readPid(path);
				const age = await stat(path).then(
					(s) => Date.now() - s.mtimeMs,
					() => Infinity
				);
				if (again ? !pidAlive(again) : age > 1000) await rm(path, { force: true });
			} finally {
				await rm(takeover, { force: true });
			}
			if (!pid) await new Promise((r) => setTimeout(r, 50));
		}
	}
	throw new Error(`无法获取发布锁 ${path} / could not acquire the release lock ${path}`);
}

const deadPidSuffix = (name: string, re: RegExp): boolean => {
	const m = re.exec(name);
	return !!m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]));
};

/**
 * Clean up after builds that were killed (call while holding the lock): temporary build directories
 * `.<OUT name>.build-<version>-<pid>` next to OUT, `OUT/releases.json.<pid>.tmp`, and `OUT/<v>.old-<pid>`
 * backups of a swap that was interrupted (put back when `<v>` is missing, else removed) — only for pids
 * that no longer run. Returns the paths it removed or restored.
 */
export async function cleanStale(outDir: string): Promise<string[]> {
	const done: string[] = [];
	const parent = dirname(outDir);
	const prefix = `.${basename(outDir)}.build-`;
	for (const name of await readdir(parent).catch(() => [] as string[])) {
		if (!name.startsWith(prefix) || !deadPidSuffix(name, /-(\d+)$/)) continue;
		await rm(join(parent, name), { recursive: true, force: true });
		done.push(join(parent, name));
	}
	for (const name of await readdir(outDir).catch(() => [] as string[])) {
		const p = join(outDir, name);
		if (deadPidSuffix(name, /^releases\.json\.(\d+)\.tmp$/)) {
			await rm(p, { force: true });
			done.push(p);
		} else if (deadPidSuffix(name, /\.old-(\d+)$/)) {
			const dest = join(outDir, name.replace(/\.old-\d+$/, ''));
			const destExists = await stat(dest).then(
				() => true,
				() => false
			);
			if (destExists) await rm(p, { recursive: true, force: true });
			else await rename(p, dest);
			done.push(p);
		}
	}
	return done;
}

/** Move `src` to `dest`, replacing an existing `dest` directory only once `src` is in place. */
export async function swapIntoPlace(src: string, dest: string, between?: () => void): Promise<void> {
	const backup = `${dest}.old-${process.pid}`;
	let hadOld = false;
	try {
		await rename(dest, backup);
		hadOld = true;
		between?.();
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	try {
		await rename(src, dest);
	} catch (e) {
		if (hadOld) await rename(backup, dest);
		throw e;
	}
	if (hadOld) await rm(backup, { recursive: true, force: true });
}
