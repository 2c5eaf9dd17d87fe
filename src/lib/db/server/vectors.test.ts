import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { int32Column, rawVector } from './vectors';

describe('reading result vectors without a value per row', () => {
	it('copies INTEGER columns across chunks, NULL as 0, the same as reading value by value', async () => {
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		try {
			// 5,000 rows: three chunks of up to 2,048; every 7th value NULL, so the validity mask is set.
			const result = await conn.run(
				'SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 3 - 4000)::INTEGER END AS v, i::INTEGER AS i FROM range(5000) t(i)'
			);
			const got: number[] = [];
			const byValue: number[] = [];
			let chunks = 0;
			let masked = 0;
			for (;;) {
				const chunk = await result.fetchChunk();
				if (!chunk || chunk.rowCount === 0) break;
				chunks++;
				const v = chunk.getColumnVector(0);
				if (rawVector(v)?.validity) masked++;
				got.push(...int32Column(v, chunk.rowCount));
				for (let j = 0; j < chunk.rowCount; j++) byValue.push((v.getItem(j) as number | null) ?? 0);
			}
			const expected = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0 : i * 3 - 4000));
			expect(chunks).toBeGreaterThan(1);
			expect(masked).toBeGreaterThan(0);
			expect(got).toEqual(expected);
			expect(byValue).toEqual(expected);
		} finally {
			conn.closeSync();
			instance.closeSync();
		}
	});
});
