/**
 * Run a child process measuring wall time and peak memory: /proc/<pid>/status of the child and all its
 * descendants is polled every 100 ms (tsx runs the script in a grandchild node process). Peak RSS is the
 * larger of the highest summed VmRSS over the tree and the highest single-process VmHWM seen.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface RunResult {
	code: number | null;
	wallMs: number;
	/** Peak resident set size in bytes (0 when /proc is not readable). */
	peakRssBytes: number;
	/** Highest VmHWM of any one process in the tree (bytes). */
	peakHwmBytes: number;
	/** Highest sum of VmRSS over the tree at one sample (bytes). */
	peakTreeRssBytes: number;
	samples: number;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	pollMs?: number;
	/** Called with each chunk of output (e.g. to echo progress). */
	onOutput?: (chunk: string) => void;
}

/** kB value of a field of /proc/<pid>/status, in bytes; null if the process is gone. */
export function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
	try {
		const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : 0;
	} catch {
		return null;
	}
}

/** Parent pid of every process, from /proc/<pid>/stat. */
function parentMap(): Map<number, number[]> {
	const children = new Map<number, number[]>();
	let entries: string[] = [];
	try {
		entries = readdirSync('/proc');
	} catch {
		return children;
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
			// pid (comm) state ppid … — comm may contain spaces and parentheses.
			const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const ppid = Number(rest[1]);
			const list = children.get(ppid) ?? [];
			list.push(Number(e));
			children.set(ppid, list);
		} catch {
			/* process ended */
		}
	}
	return children;
}

/** The pid and all its descendants. */
export function processTree(pid: number): number[] {
	const children = parentMap();
	const out: number[] = [];
	const stack = [pid];
	while (stack.length) {
		const p = stack.pop() as number;
		out.push(p);
		for (const c of children.get(p) ?? []) stack.push(c);
	}
	return out;
}

export function runMeasured(
	command: string,
	args: readonly string[],
	opts: RunOptions = {}
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(command, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		let peakHwm = 0;
		let peakTree = 0;
		let samples = 0;
		const sample = () => {
			if (child.pid === undefined) return;
			let sum = 0;
			for (const pid of processTree(child.pid)) {
				sum += statusField(pid, 'VmRSS') ?? 0;
				peakHwm = Math.max(peakHwm, statusField(pid, 'VmHWM') ?? 0);
			}
			peakTree = Math.max(peakTree, sum);
			samples++;
		};
		const timer = setInterval(sample, opts.pollMs ?? 100);
		child.stdout.on('data', (d: Buffer) => {
			const s = d.toString();
			stdout += s;
			opts.onOutput?.(s);
		});
		child.stderr.on('data', (d: Buffer) => {
			const s = d.toString();
			stderr += s;
			opts.onOutput?.(s);
		});
		child.on('error', (e) => {
			clearInterval(timer);
			reject(e);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			resolve({
				code,
				wallMs: performance.now() - started,
				peakRssBytes: Math.max(peakHwm, peakTree),
				peakHwmBytes: peakHwm,
				peakTreeRssBytes: peakTree,
				samples,
				stdout,
				stderr
			});
		});
		sample();
	});
}

/** The command line of a process (arguments joined by spaces; '' when it is gone). */
function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
	} catch {
		return '';
	}
}

/**
 * Chromium's page processes among the descendants of `root` (the benchmark's own process: Playwright starts the
 * browser as its child): those whose command line has `--type=renderer`. A page's dedicated workers (the DuckDB
 * engine and its WebAssembly memory) run inside its renderer process.
 */
export function rendererPids(root: number): number[] {
	return processTree(root).filter((pid) => pid !== root && / --type=renderer( |$)/.test(commandLine(pid)));
}

/**
 * Poll the renderer processes under `root` every `pollMs` and keep the highest VmHWM (the kernel's peak RSS of
 * one process, so a peak between two polls is not missed) of any of them: the largest page's memory, its engine
 * included. `stop()` samples once more and returns the peak in bytes (0 when /proc is not readable or no
 * renderer was seen).
 */
export function watchRenderers(root: number, pollMs = 250): { stop: () => number } {
	let peak = 0;
	const sample = () => {
		for (const pid of rendererPids(root)) peak = Math.max(peak, statusField(pid, 'VmHWM') ?? 0);
	};
	const timer = setInterval(sample, pollMs);
	sample();
	return {
		stop: () => {
			clearInterval(timer);
			sample();
			return peak;
		}
	};
}
