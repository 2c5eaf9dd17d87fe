import { describe, expect, it } from 'vitest';
import {
	Bool,
	DateDay,
	Float64,
	Int32,
	TimestampMillisecond,
	Utf8,
	tableToIPC,
	Table,
	vectorFromArray
} from 'apache-arrow';
import { chartColumns, resultFromIpc, resultToCsv, visibleRange } from './result';

function ipcOf(): Uint8Array {
	const t = new Table({
		name: vectorFromArray(['天河', 'a,b', null], new Utf8()),
		n: vectorFromArray([1, 2.5, null], new Float64()),
		k: vectorFromArray([3, 4, 5], new Int32()),
		ok: vectorFromArray([true, false, null], new Bool()),
		day: vectorFromArray(
			[new Date(Date.UTC(2025, 0, 31)), null, new Date(Date.UTC(2024, 1, 29))],
			new DateDay()
		),
		at: vectorFromArray([new Date(Date.UTC(2025, 0, 31, 9, 5, 7)), null, null], new TimestampMillisecond())
	});
	return tableToIPC(t, 'stream');
}

describe('result', () => {
	it('reads kinds and values from an Arrow IPC stream', () => {
		const r = resultFromIpc(ipcOf());
		expect(r.columns).toEqual([
			{ name: 'name', kind: 'string' },
			{ name: 'n', kind: 'number' },
			{ name: 'k', kind: 'number' },
			{ name: 'ok', kind: 'boolean' },
			{ name: 'day', kind: 'date' },
			{ name: 'at', kind: 'timestamp' }
		]);
		expect(r.numRows).toBe(3);
		expect(r.value(0, 4)).toBe('2025-01-31');
		expect(r.value(2, 4)).toBe('2024-02-29');
		expect(r.value(0, 5)).toBe('2025-01-31 09:05:07');
		expect(r.value(2, 1)).toBeNull();
	});

	it('writes RFC 4180 CSV with every row', () => {
		const csv = resultToCsv(resultFromIpc(ipcOf()));
		expect(csv.split('\r\n')).toEqual([
			'name,n,k,ok,day,at',
			'天河,1,3,true,2025-01-31,2025-01-31 09:05:07',
			'"a,b",2.5,4,false,,',
			',,5,,2024-02-29,',
			''
		]);
	});

	it('picks chart columns and the visible window', () => {
		expect(chartColumns(resultFromIpc(ipcOf()).columns)).toEqual({ x: 4, y: 1, xKind: 'date' });
		expect(chartColumns([{ name: 'a', kind: 'string' }])).toBeNull();
		expect(
			chartColumns([
				{ name: 'c', kind: 'string' },
				{ name: 'v', kind: 'number' }
			])
		).toEqual({ x: 0, y: 1, xKind: 'string' });
		expect(visibleRange(0, 420, 28, 100_000)).toEqual([0, 25]);
		expect(visibleRange(28 * 50_000, 420, 28, 100_000)).toEqual([49_990, 50_025]);
		expect(visibleRange(28 * 99_990, 420, 28, 100_000)).toEqual([99_980, 100_000]);
	});
});
