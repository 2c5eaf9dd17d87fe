/** Buffered, synchronous CSV writer (UTF-8, comma, `\n`, RFC 4180 quoting, empty field = null). */
import { closeSync, openSync, writeSync } from 'node:fs';

export type Cell = string | number | null | undefined;

const NEEDS_QUOTES = /[",\n\r]/;

export function csvCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	const s = typeof v === 'number' ? String(v) : v;
	return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvWriter {
	private fd: number;
	private buf: string[] = [];
	private size = 0;
	rows = 0;

	constructor(
		readonly path: string,
		header: readonly string[],
		private readonly flushAt = 1 << 20
	) {
		this.fd = openSync(path, 'w');
		this.line(header);
		this.rows = 0;
	}

	private line(cells: readonly Cell[]): void {
		let s = '';
		for (let i = 0; i < cells.length; i++) {
			if (i) s += ',';
			s += csvCell(cells[i]);
		}
		s += '\n';
		this.buf.push(s);
		this.size += s.length;
		if (this.size >= this.flushAt) this.flush();
	}

	row(cells: readonly Cell[]): void {
		this.line(cells);
		this.rows++;
	}

	flush(): void {
		if (!this.buf.length) return;
		writeSync(this.fd, this.buf.join(''));
		this.buf = [];
		this.size = 0;
	}

	/** Flush and close (idempotent). */
	close(): void {
		if (this.fd < 0) return;
		this.flush();
		closeSync(this.fd);
		this.fd = -1;
	}
}
