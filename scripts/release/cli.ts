/**
 * npm run data:build -- --input DIR --out DIR [--version V] [--drop-personal] [--key-file F] [--region 4401]
 *   [--lang zh|en]
 *
 * Validates an export and writes a versioned release (see scripts/release/build.ts). Exit 1 on input
 * errors (printed, nothing written) or on any failure (previous releases stay untouched).
 */
import { parseArgs } from 'node:util';
import { buildRelease, type Lang } from './build';

const { values } = parseArgs({
	options: {
		input: { type: 'string' },
		out: { type: 'string' },
		version: { type: 'string' },
		'drop-personal': { type: 'boolean', default: false },
		'key-file': { type: 'string' },
		region: { type: 'string' },
		lang: { type: 'string', default: 'zh' },
		help: { type: 'boolean', default: false }
	}
});

const usage =
	'用法 / usage: npm run data:build -- --input DIR --out DIR [--version V] [--drop-personal] [--key-file F] [--region 4401] [--lang zh|en]';
if (values.help || !values.input || !values.out) {
	console.error(usage);
	process.exit(values.help ? 0 : 2);
}
const lang: Lang = values.lang === 'en' ? 'en' : 'zh';

try {
	console.log(`data:build ${values.input} → ${values.out}`);
	const r = await buildRelease({
		inputDir: values.input,
		outDir: values.out,
		version: values.version,
		region: values.region,
		dropPersonal: values['drop-personal'],
		keyFile: values['key-file'],
		lang
	});
	if (!r.ok) {
		console.error(r.message);
		console.error(
			lang === 'zh'
				? `导入数据有 ${r.errors.length} 处错误，未写入任何文件。`
				: `The export has ${r.errors.length} error(s); nothing was written.`
		);
		process.exit(1);
	}
	console.log(
		lang === 'zh'
			? `已发布 ${r.version}（数据截至 ${r.dataAsOf}）：${r.path}`
			: `Released ${r.version} (data as of ${r.dataAsOf}): ${r.path}`
	);
	console.log(`rows: ${JSON.stringify(r.rowCounts)}`);
	console.log(`privacy: ${JSON.stringify(r.privacy)}`);
} catch (e) {
	console.error(`${lang === 'zh' ? '发布失败' : 'Release failed'}: ${(e as Error).message}`);
	process.exit(1);
}
