/**
 * Where the district names go on the static map: at each district's centroid when there is room, else nudged a
 * line up or down or half a label sideways — only where the label's middle is still inside its own district —
 * else (the smallest districts of a dense centre) in the nearest free place farther off, off the city's land
 * where one is near, with a leader line from the district's centroid; left out only when no such place is free
 * (the name is still in the district's tooltip, its link label and the tables of the page).
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
	/** A label placed away from its district: the line from the district's centroid (x1, y1) to the label's
	 * box (x2, y2). */
	leader?: { x1: number; y1: number; x2: number; y2: number };
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

type Segment = { x1: number; y1: number; x2: number; y2: number };

/** The point of box `b` nearest to (x, y). */
const nearestOnBox = (b: Box, x: number, y: number) => ({
	x: Math.min(Math.max(x, b.x0), b.x1),
	y: Math.min(Math.max(y, b.y0), b.y1)
});

/** Whether segment `s` passes through box `b` (Liang–Barsky clipping). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
	const dx = s.x2 - s.x1;
	const dy = s.y2 - s.y1;
	let t0 = 0;
	let t1 = 1;
	for (const [p, q] of [
		[-dx, s.x1 - b.x0],
		[dx, b.x1 - s.x1],
		[-dy, s.y1 - b.y0],
		[dy, b.y1 - s.y1]
	]) {
		if (p === 0) {
			if (q < 0) return false;
		} else {
			const r = q / p;
			if (p < 0) t0 = Math.max(t0, r);
			else t1 = Math.min(t1, r);
			if (t0 > t1) return false;
		}
	}
	return true;
}

/** Whether two segments cross (touching ends do not count). */
function segmentsCross(a: Segment, b: Segment): boolean {
	const side = (x1: number, y1: number, x2: number, y2: number, x: number, y: number) =>
		Math.sign((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1));
	return (
		side(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1) * side(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2) < 0 &&
		side(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1) * side(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2) < 0
	);
}

export function placeLabels(
	items: LabelItem[],
	opts: {
		width: number;
		height: number;
		fontSize: number;
		/** Whether a point is inside the district `code` (a nudged label must stay on its district). */
		inside?: (code: string, x: number, y: number) => boolean;
		/** Whether a point is on any district (a label with a leader line goes off the land where it can). */
		onLand?: (x: number, y: number) => boolean;
	}
): PlacedLabel[] {
	const { width, height, fontSize: fs, inside: within = () => true, onLand = () => false } = opts;
	const placed: { label: PlacedLabel; box: Box }[] = [];
	const onMap = (b: Box) => b.x0 >= 0 && b.y0 >= 0 && b.x1 <= width && b.y1 <= height;
	// A line down or up: the height of a label box, halo included.
	const line = 1.4 * fs;
	const left: LabelItem[] = [];
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
		const spot = tries.find(([dx, dy]) => {
			const box = labelBox(it.text, it.x + dx, it.y + dy, fs);
			const onOwn = (dx === 0 && dy === 0) || within(it.code, it.x + dx, (box.y0 + box.y1) / 2);
			return onMap(box) && onOwn && !placed.some((p) => overlaps(p.box, box));
		});
		if (!spot) left.push(it);
		else {
			const [x, y] = [it.x + spot[0], it.y + spot[1]];
			placed.push({ label: { code: it.code, text: it.text, x, y }, box: labelBox(it.text, x, y, fs) });
		}
	}
	// The names left: the nearest free place 2–6 lines away (off the land first), joined to the centroid by a line
	// that crosses no other name or line and ends at the label's box.
	const leaders: Segment[] = [];
	// The middle of a label box is 0.3 of the font size above its baseline.
	const lift = 0.3 * fs;
	const round = (v: number) => Math.round(v * 10) / 10;
	for (const it of left) {
		let best: { label: PlacedLabel; box: Box; seg: Segment; score: number } | null = null;
		for (let r = 2; r <= 6; r++)
			for (let k = 0; k < 16; k++) {
				const a = (k / 16) * 2 * Math.PI;
				const cx = it.x + r * line * Math.cos(a);
				const cy = it.y + r * line * Math.sin(a);
				const box = labelBox(it.text, cx, cy + lift, fs);
				const end = nearestOnBox(box, it.x, it.y);
				const seg = { x1: it.x, y1: it.y, x2: end.x, y2: end.y };
				// Off the land is worth up to 3 lines farther: 0.6 for each corner and the middle on a district.
				const wet = [
					[cx, cy],
					[box.x0, box.y0],
					[box.x1, box.y0],
					[box.x0, box.y1],
					[box.x1, box.y1]
				].filter(([x, y]) => onLand(x, y)).length;
				const score = r + 0.6 * wet;
				if (best && best.score <= score) continue;
				if (!onMap(box) || placed.some((p) => overlaps(p.box, box) || segmentHitsBox(seg, p.box))) continue;
				if (leaders.some((l) => segmentsCross(l, seg) || segmentHitsBox(l, box))) continue;
				best = {
					label: {
						code: it.code,
						text: it.text,
						x: cx,
						y: cy + lift,
						leader: { x1: it.x, y1: it.y, x2: round(end.x), y2: round(end.y) }
					},
					box,
					seg,
					score
				};
			}
		if (best) {
			placed.push({ label: best.label, box: best.box });
			leaders.push(best.seg);
		}
	}
	// In the input's order (stable markup).
	const index = new Map(items.map((it, i) => [it.code, i]));
	return placed.map((p) => p.label).sort((a, b) => (index.get(a.code) ?? 0) - (index.get(b.code) ?? 0));
}
