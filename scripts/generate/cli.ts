/**
 * `npm run data:generate -- --scale N --seed S --out DIR [--with-personal] [--quiet]`
 * Writes the built-in sample export (one CSV per input table) into DIR and prints a summary.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { generate } from './generate';

const USAGE = `用法 / usage: npm run data:generate -- --scale N --seed S --out DIR [--with-personal] [--quiet]
  --scale N          规模（1 ≈ 广州实际规模：10 万志愿者、100 万条参与记录）/ size (1 ≈ Guangzhou: 100k volunteers, 1M participations), default 1
  --seed S           随机种子（相同种子与规模 → 逐字节相同的文件）/ seed (same seed + scale → byte-identical files), default 1
  --out DIR          输出目录 / output directory, default data/sample/input
  --with-personal    加入合成的姓名与电话列（测试 --drop-personal）/ add synthetic name and phone columns
  --quiet            不显示进度条 / no progress bar`;

async function main(): Promise<void> {
	let args;
	try {
		args = parseArgs({
			options: {
				scale: { type: 'string', default: '1' },
				seed: { type: 'string', default: '1' },
				out: { type: 'string', default: 'data/sample/input' },
				'with-personal': { type: 'boolean', default: false },
				quiet: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		}).values;
	} catch (e) {
		console.error(`参数错误 / invalid arguments: ${(e as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	if (args.help) {
		console.log(USAGE);
		return;
	}
	const scale = Number(args.scale);
	if (!(scale > 0) || !Number.isFinite(scale)) {
		console.error(`--scale 必须是正数 / --scale must be a positive number, got "${args.scale}"\n${USAGE}`);
		process.exit(2);
	}
	const showBar = !args.quiet && process.stderr.isTTY;
	const bar = showBar
		? new cliProgress.SingleBar(
				{
					format:
						'生成 / generating [{bar}] {percentage}% | {value}/{total} 月 months | {duration_formatted}',
					stream: process.stderr
				},
				cliProgress.Presets.shades_classic
			)
		: null;
	let started = false;
	const summary = await generate({
		scale,
		seed: args.seed as string,
		outDir: args.out as string,
		withPersonal: args['with-personal'] as boolean,
		onProgress: (p) => {
			if (!bar || p.phase !== 'activities') return;
			if (!started) {
				bar.start(p.total, 0);
				started = true;
			}
			bar.update(p.done);
		}
	});
	bar?.stop();
	console.log(JSON.stringify(summary, null, 2));
}

main().catch((e: unknown) => {
	console.error(`生成失败 / generation failed: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
