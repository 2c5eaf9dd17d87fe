/**
 * Methodology page data (pure): indicator documentation read from the indicators registry (whatever its
 * exact export shape: an array of entries or a record keyed by id), and the reference-data sources.
 */

export interface Bilingual {
	zh: string;
	en: string;
}

export interface IndicatorDoc {
	id: string;
	name: Bilingual;
	definition: Bilingual | null;
	formula: Bilingual | null;
	unit: string | null;
	sql: string | null;
	target: Bilingual | null;
	seed: Bilingual | null;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A bilingual text from `{zh, en}`, `key_zh`/`key_en`, `keyZh`/`keyEn`, or a plain string. */
function bilingual(o: Obj, ...keys: string[]): Bilingual | null {
	for (const k of keys) {
		const v = o[k];
		if (typeof v === 'string' && v) return { zh: v, en: v };
		if (isObj(v)) {
			const zh = v.zh ?? v['zh-CN'] ?? v.zh_CN;
			const en = v.en;
			if (typeof zh === 'string' || typeof en === 'string')
				return { zh: String(zh ?? en), en: String(en ?? zh) };
		}
		const zh = o[`${k}_zh`] ?? o[`${k}Zh`];
		const en = o[`${k}_en`] ?? o[`${k}En`];
		if (typeof zh === 'string' || typeof en === 'string')
			return { zh: String(zh ?? en), en: String(en ?? zh) };
	}
	return null;
}

/** The SQL of an indicator: a string, or a function of (level, year …) that returns one. */
function sqlText(o: Obj): string | null {
	for (const k of ['sql', 'query', 'sqlTemplate']) {
		const v = o[k];
		if (typeof v === 'string') return v.trim();
		if (typeof v === 'function') {
			for (const args of [[{ level: 'district', year: 2025 }], ['district', 2025], []]) {
				try {
					const r = (v as (...a: unknown[]) => unknown)(...args);
					if (typeof r === 'string') return r.trim();
				} catch {
					/* try the next calling convention */
				}
			}
		}
	}
	return null;
}

function targetText(o: Obj, targets: Record<string, number>): Bilingual | null {
	const t = bilingual(o, 'target_text', 'targetText', 'targetRule');
	if (t) return t;
	const v = o.target ?? targets[String(o.id)];
	if (typeof v === 'number') {
		const unit = String(o.unit ?? '');
		const shown =
			unit === 'share' || unit === 'ratio' || unit === '%' || (v === 1 && unit !== 'count')
				? `${v * 100}%`
				: String(v);
		return { zh: `≥ ${shown}`, en: `≥ ${shown}` };
	}
	if (isObj(v)) return bilingual({ v }, 'v');
	return null;
}

function entries(registry: unknown): Obj[] {
	if (Array.isArray(registry)) return registry.filter(isObj);
	if (isObj(registry))
		return Object.entries(registry)
			.filter(([, v]) => isObj(v))
			.map(([id, v]) => ({ id, ...(v as Obj) }));
	return [];
}

/** Indicator docs from a registry export; `targets` (region config) fills in targets the registry lacks. */
export function indicatorDocs(registry: unknown, targets: Record<string, number> = {}): IndicatorDoc[] {
	return entries(registry)
		.filter((o) => typeof o.id === 'string')
		.map((o) => ({
			id: String(o.id),
			name: bilingual(o, 'name', 'title', 'label') ?? { zh: String(o.id), en: String(o.id) },
			definition: bilingual(o, 'definition', 'description', 'def'),
			formula: bilingual(o, 'formula'),
			unit: typeof o.unit === 'string' ? o.unit : null,
			sql: sqlText(o),
			target: targetText(o, targets),
			seed: bilingual(o, 'seed', 'seedRule', 'source', 'rule')
		}));
}

/** Find the registry among a module's exports: the first array/record whose entries carry an `id` and SQL or a definition. */
export function findRegistry(mod: Record<string, unknown>): unknown {
	const candidates = Object.entries(mod).sort(
		([a], [b]) => Number(/indicator/i.test(b)) - Number(/indicator/i.test(a))
	);
	for (const [, v] of candidates) {
		const list = entries(v);
		if (
			list.length &&
			list.every((o) => typeof o.id === 'string') &&
			list.some((o) => 'sql' in o || 'definition' in o || 'formula' in o)
		)
			return v;
	}
	return null;
}

export interface SourceDoc {
	file: string;
	source: string;
	licence: string;
	licenceNote: string | null;
	homepage: string | null;
	year: string | null;
	notes: string | null;
}

/** The reference-data sources of `data/reference/<code>/sources.json`. */
export function sourceDocs(sources: unknown): SourceDoc[] {
	if (!isObj(sources) || !isObj(sources.files)) return [];
	return Object.entries(sources.files)
		.filter(([, v]) => isObj(v))
		.map(([file, v]) => {
			const o = v as Obj;
			const s = (k: string) => (typeof o[k] === 'string' || typeof o[k] === 'number' ? String(o[k]) : null);
			return {
				file,
				source: s('source') ?? '',
				licence: s('licence') ?? s('license') ?? '',
				licenceNote: s('licence_note'),
				homepage: s('homepage'),
				year: s('year'),
				notes: s('notes')
			};
		});
}
