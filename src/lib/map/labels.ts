/**
 * Where the district names go on the static map: at each district's centroid when there is room, else nudged a
 * line up or down or half a label sideways — only where the label's middle is still inside its own district —
 * else left out (the name is still in the district's tooltip, its link label and the tables of the page).
 */
/** Size of the names on the static map, in SVG units. */
export const LABEL_FONT_SIZE = 11;

export interface LabelItem {
	code: string;
	text: string;
	/** Centroid (the text's anchor: middle, baseline) in SVG units. */
	x: number;
	y: number;
	/** Area in square SVG units (placement order). */
	area: number;
}

export interface PlacedLabel {
	code: string;
	text: string;
	x: number;
	y: number;
}

/** Width of a text in a sans-serif font: a CJK character is about 1 em, Latin letters and digits about 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
	let em = 0;
	for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.6;
	return em * fontSize;
}

interface Box {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/** The box of a text anchored at its middle and baseline, with `pad` around it (the white halo). */
export function labelBox(text: string, x: number, y: number, fontSize: number, pad = 1.5): Box {
	const w = textWidth(text, fontSize);
	return {
		x0: x - w / 2 - pad,
		x1: x + w / 2 + pad,
		y0: y - 0.85 * fontSize - pad,
		y1: y + 0.25 * fontSize + pad
	};
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

export function placeLabels(
	items: LabelItem[],
	opts: {
		width: number;
		height: number;
		fontSize: number;
		/** Whether a point is inside the district `code` (a nudged label must stay on its district). */
		inside?: (code: string, x: number, y: number) => boolean;
	}
): PlacedLabel[] {
	const { width, height, fontSize: fs, inside: within = () => true } = opts;
	const placed: { label: PlacedLabel; box: Box }[] = [];
	// Names that collide with fewer others at their centroids first (one crowded name then gives way to the several
	// it would hide), then the smaller districts (less room to move).
	const home = items.map((it) => labelBox(it.text, it.x, it.y, fs));
	const clashes = new Map(
		items.map((it, i) => [it.code, home.filter((b, j) => j !== i && overlaps(b, home[i])).length])
	);
	const order = (a: LabelItem, b: LabelItem) =>
		(clashes.get(a.code) ?? 0) - (clashes.get(b.code) ?? 0) ||
		a.area - b.area ||
		a.code.localeCompare(b.code);
	for (const it of [...items].sort(order)) {
		const half = textWidth(it.text, fs) / 2;
		// A line down or up: the height of a label box, halo included.
		const line = 1.4 * fs;
		const tries: [number, number][] = [
			[0, 0],
			[0, -line],
			[0, line],
			[-half, 0],
			[half, 0],
			[-half, -line],
			[half, -line],
			[-half, line],
			[half, line]
		];
		for (const [dx, dy] of tries) {
			const x = it.x + dx;
			const y = it.y + dy;
			const box = labelBox(it.text, x, y, fs);
			const onMap = box.x0 >= 0 && box.y0 >= 0 && box.x1 <= width && box.y1 <= height;
			const onOwn = (dx === 0 && dy === 0) || within(it.code, x, (box.y0 + box.y1) / 2);
			if (onMap && onOwn && !placed.some((p) => overlaps(p.box, box))) {
				placed.push({ label: { code: it.code, text: it.text, x, y }, box });
				break;
			}
		}
	}
	// In the input's order (stable markup).
	const index = new Map(items.map((it, i) => [it.code, i]));
	return placed.map((p) => p.label).sort((a, b) => (index.get(a.code) ?? 0) - (index.get(b.code) ?? 0));
}
