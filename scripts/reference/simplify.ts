/**
 * Topology-preserving polygon simplification for district maps.
 *
 * Neighbouring districts share borders vertex for vertex in the source data. Simplifying each polygon on its
 * own would move a shared border differently on either side and open gaps/overlaps, so rings are first cut
 * into arcs at every vertex where the set of polygons using the border changes (junctions), each arc is
 * simplified once with Douglas–Peucker (in a canonical direction so both sides get the identical result),
 * and the rings are rebuilt from the simplified arcs.
 */

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];

export interface ShapeInput {
	id: string;
	polygons: PolygonCoords[];
}

export interface SimplifyOptions {
	/** Douglas–Peucker tolerance in degrees of latitude (longitude is scaled by cos(latitude)). */
	tolerance: number;
	/** Decimal places kept in the output coordinates. */
	decimals: number;
}

const key = (p: Position): string => `${p[0]},${p[1]}`;

/** Drop consecutive duplicates and the closing point: returns the open ring (first point not repeated). */
export function openRing(ring: Ring): Ring {
	const out: Ring = [];
	for (const p of ring) {
		const last = out[out.length - 1];
		if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]]);
	}
	while (out.length > 1 && key(out[0]) === key(out[out.length - 1])) out.pop();
	return out;
}

/** Remove zero-width spikes (A → B → A) from an open ring, repeatedly, including across the ring's start. */
export function removeSpikes(ring: Ring): Ring {
	let pts = openRing(ring);
	for (let changed = true; changed && pts.length > 3;) {
		changed = false;
		const out: Ring = [];
		for (const p of pts) {
			out.push(p);
			while (out.length >= 3 && key(out[out.length - 1]) === key(out[out.length - 3])) {
				out.splice(out.length - 2, 2);
				changed = true;
			}
		}
		// wrap-around: the spike may straddle the end and the start of the ring
		while (out.length > 3 && key(out[out.length - 1]) === key(out[1])) {
			out.pop();
			out.shift();
			changed = true;
		}
		while (out.length > 3 && key(out[out.length - 2]) === key(out[0])) {
			out.pop();
			changed = true;
		}
		pts = openRing(out);
	}
	return pts;
}

/** Signed area (shoelace, planar degrees); positive = counter-clockwise. */
export function signedArea(ring: Ring): number {
	let a = 0;
	for (let i = 0, n = ring.length; i < n; i++) {
		const [x1, y1] = ring[i];
		const [x2, y2] = ring[(i + 1) % n];
		a += x1 * y2 - x2 * y1;
	}
	return a / 2;
}

function douglasPeucker(points: Ring, tolerance: number, kx: number): Ring {
	const n = points.length;
	if (n <= 2) return points.slice();
	const keep = new Uint8Array(n);
	keep[0] = 1;
	keep[n - 1] = 1;
	const stack: [number, number][] = [[0, n - 1]];
	const tol2 = tolerance * tolerance;
	while (stack.length) {
		const [s, e] = stack.pop()!;
		const ax = points[s][0] * kx;
		const ay = points[s][1];
		const bx = points[e][0] * kx;
		const by = points[e][1];
		const dx = bx - ax;
		const dy = by - ay;
		const len2 = dx * dx + dy * dy;
		let maxD = -1;
		let idx = -1;
		for (let i = s + 1; i < e; i++) {
			const px = points[i][0] * kx;
			const py = points[i][1];
			let d2: number;
			if (len2 === 0) {
				d2 = (px - ax) ** 2 + (py - ay) ** 2;
			} else {
				const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
				d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2;
			}
			if (d2 > maxD) {
				maxD = d2;
				idx = i;
			}
		}
		if (idx >= 0 && maxD > tol2) {
			keep[idx] = 1;
			stack.push([s, idx], [idx, e]);
		}
	}
	return points.filter((_, i) => keep[i] === 1);
}

/** Orient an arc canonically (so both polygons sharing it simplify the same sequence). */
function canonical(arc: Ring): { arc: Ring; reversed: boolean } {
	const fwd = arc.map(key).join(';');
	const rev = arc.slice().reverse().map(key).join(';');
	return fwd <= rev ? { arc, reversed: false } : { arc: arc.slice().reverse(), reversed: true };
}

/**
 * Simplify a set of polygons sharing borders. Output rings are closed, rounded to `decimals`, free of
 * consecutive duplicates, exterior rings counter-clockwise and holes clockwise (RFC 7946).
 */
export function simplifyShapes(shapes: ShapeInput[], opts: SimplifyOptions): Map<string, PolygonCoords[]> {
	const rings: { shape: string; poly: number; ring: number; pts: Ring }[] = [];
	let latSum = 0;
	let latN = 0;
	for (const s of shapes) {
		s.polygons.forEach((poly, pi) =>
			poly.forEach((r, ri) => {
				const pts = removeSpikes(r);
				for (const p of pts) {
					latSum += p[1];
					latN++;
				}
				rings.push({ shape: s.id, poly: pi, ring: ri, pts });
			})
		);
	}
	const kx = Math.cos(((latN ? latSum / latN : 0) * Math.PI) / 180);

	// Which shapes use each vertex, and each edge (unordered).
	const vertexUsers = new Map<string, Set<string>>();
	const edgeUsers = new Map<string, Set<string>>();
	const edgeKey = (a: Position, b: Position): string => {
		const ka = key(a);
		const kb = key(b);
		return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
	};
	const add = (m: Map<string, Set<string>>, k: string, id: string): void => {
		let s = m.get(k);
		if (!s) m.set(k, (s = new Set()));
		s.add(id);
	};
	for (const r of rings) {
		const n = r.pts.length;
		for (let i = 0; i < n; i++) {
			add(vertexUsers, key(r.pts[i]), r.shape);
			add(edgeUsers, edgeKey(r.pts[i], r.pts[(i + 1) % n]), r.shape);
		}
	}
	const sig = (s: Set<string> | undefined): string => [...(s ?? [])].sort().join(',');

	const cache = new Map<string, Ring>();
	const simplifyArc = (arc: Ring): Ring => {
		const c = canonical(arc);
		const ck = c.arc.map(key).join(';');
		let out = cache.get(ck);
		if (!out) {
			out = douglasPeucker(c.arc, opts.tolerance, kx);
			cache.set(ck, out);
		}
		return c.reversed ? out.slice().reverse() : out;
	};

	const factor = 10 ** opts.decimals;
	const round = (v: number): number => Math.round(v * factor) / factor;

	const result = new Map<string, PolygonCoords[]>();
	for (const s of shapes)
		result.set(
			s.id,
			s.polygons.map(() => [])
		);

	for (const r of rings) {
		const n = r.pts.length;
		let simplified: Ring;
		if (n < 4) {
			simplified = r.pts.slice();
		} else {
			const breaks: number[] = [];
			for (let i = 0; i < n; i++) {
				const prev = r.pts[(i - 1 + n) % n];
				const cur = r.pts[i];
				const next = r.pts[(i + 1) % n];
				const inSig = sig(edgeUsers.get(edgeKey(prev, cur)));
				const outSig = sig(edgeUsers.get(edgeKey(cur, next)));
				if (inSig !== outSig || sig(vertexUsers.get(key(cur))) !== inSig) breaks.push(i);
			}
			if (breaks.length === 0) {
				// A free-standing ring: split at the first point and the point farthest from it.
				let far = 1;
				let best = -1;
				for (let i = 1; i < n; i++) {
					const d = ((r.pts[i][0] - r.pts[0][0]) * kx) ** 2 + (r.pts[i][1] - r.pts[0][1]) ** 2;
					if (d > best) {
						best = d;
						far = i;
					}
				}
				breaks.push(0, far);
			}
			simplified = [];
			for (let b = 0; b < breaks.length; b++) {
				const from = breaks[b];
				const to = breaks[(b + 1) % breaks.length];
				const arc: Ring = [];
				for (let i = from; ; i = (i + 1) % n) {
					arc.push(r.pts[i]);
					if (i === to && arc.length > 1) break;
				}
				const sArc = simplifyArc(arc);
				simplified.push(...sArc.slice(0, -1));
			}
		}
		let out = removeSpikes(simplified.map((p) => [round(p[0]), round(p[1])] as Position));
		if (out.length < 3) out = removeSpikes(r.pts.map((p) => [round(p[0]), round(p[1])] as Position));
		const exterior = r.ring === 0;
		const area = signedArea(out);
		if ((exterior && area < 0) || (!exterior && area > 0)) out.reverse();
		out.push([out[0][0], out[0][1]]);
		result.get(r.shape)![r.poly][r.ring] = out;
	}
	return result;
}
