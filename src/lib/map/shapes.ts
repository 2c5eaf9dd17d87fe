/**
 * District outlines as SVG paths (no map library): used for the prerendered map thumbnail and as the
 * no-JavaScript fallback. Planar projection with longitude scaled by cos(latitude) (fine at city scale).
 */
import { geoIdentity, geoPath } from 'd3-geo';
import { polygonContains } from 'd3-polygon';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { label, LOCALES, type Locale } from '../i18n';
import { LABEL_FONT_SIZE, placeLabels, type PlacedLabel } from './labels';

export interface DistrictShape {
	code: string;
	name_zh: string;
	name_en: string;
	d: string;
	/** Label position (centroid) in SVG units. */
	cx: number;
	cy: number;
	/** Area in square SVG units. */
	area: number;
	/** Where its name goes on the map in each language (see labels.ts), with a leader line when it is away from
	 * the district; null: left out for lack of room. */
	labelAt: Record<Locale, Pick<PlacedLabel, 'x' | 'y' | 'leader'> | null>;
	/** Centroid in longitude/latitude. */
	lon: number;
	lat: number;
}

export type DistrictProps = { district_code: string; name_zh: string; name_en: string };

function scaleLon(g: Geometry, k: number): Geometry {
	const map = (c: number[]): number[] => [c[0] * k, c[1]];
	switch (g.type) {
		case 'Polygon':
			return { ...g, coordinates: g.coordinates.map((r) => r.map(map)) };
		case 'MultiPolygon':
			return { ...g, coordinates: g.coordinates.map((p) => p.map((r) => r.map(map))) };
		default:
			return g;
	}
}

/** The districts drawn in a box of `width` × `height` SVG units, trimmed to the map's own shape. */
export interface DistrictOutline {
	shapes: DistrictShape[];
	width: number;
	height: number;
}

/**
 * The districts scaled to fill `maxHeight` (or `maxWidth`, whichever binds first); the box is then trimmed to the
 * map's width or height, so a tall city (Guangzhou) is not drawn small in the middle of a wide box and its dense
 * centre has room for the names.
 */
export function districtShapes(
	fc: FeatureCollection<Geometry, DistrictProps>,
	maxWidth: number,
	maxHeight: number
): DistrictOutline {
	const lat0 = fc.features.length ? 23 : 0;
	const k = Math.cos((lat0 * Math.PI) / 180);
	const scaled: FeatureCollection<Geometry, DistrictProps> = {
		type: 'FeatureCollection',
		features: fc.features.map((f) => ({ ...f, geometry: scaleLon(f.geometry, k) }))
	};
	const projection = geoIdentity().reflectY(true).fitSize([maxWidth, maxHeight], scaled);
	const path = geoPath(projection);
	// fitSize centres the map in the box: move it to the corner and trim the box to it.
	const [[x0, y0], [x1, y1]] = fc.features.length
		? path.bounds(scaled)
		: [
				[0, 0],
				[maxWidth, maxHeight]
			];
	const [tx, ty] = projection.translate();
	projection.translate([tx - x0, ty - y0]);
	const width = Math.ceil(x1 - x0);
	const height = Math.ceil(y1 - y0);
	const raw = geoPath();
	const shapes = scaled.features.map((f: Feature<Geometry, DistrictProps>) => {
		const [cx, cy] = path.centroid(f);
		const [x, y] = raw.centroid(f);
		return {
			code: String(f.properties.district_code),
			name_zh: f.properties.name_zh,
			name_en: f.properties.name_en,
			d: path(f) ?? '',
			cx: Math.round(cx * 10) / 10,
			cy: Math.round(cy * 10) / 10,
			area: Math.round(path.area(f)),
			lon: Math.round((x / k) * 1e4) / 1e4,
			lat: Math.round(y * 1e4) / 1e4,
			labelAt: { 'zh-CN': null, en: null } as DistrictShape['labelAt']
		};
	});
	// Outer rings in SVG units, for "is this point on the district".
	const outer = new Map(
		scaled.features.map((f) => [String(f.properties.district_code), outerRings(f.geometry, projection)])
	);
	const inside = (code: string, x: number, y: number) =>
		(outer.get(code) ?? []).some((ring) => polygonContains(ring, [x, y]));
	const onLand = (x: number, y: number) => [...outer.keys()].some((code) => inside(code, x, y));
	for (const locale of LOCALES) {
		const placed = placeLabels(
			shapes.map((s) => ({ code: s.code, text: label(locale, s), x: s.cx, y: s.cy, area: s.area })),
			{ width, height, fontSize: LABEL_FONT_SIZE, inside, onLand }
		);
		for (const p of placed) {
			const s = shapes.find((x) => x.code === p.code);
			const at = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
			if (s) s.labelAt[locale] = p.leader ? { ...at, leader: p.leader } : at;
		}
	}
	return { shapes, width, height };
}

function outerRings(
	g: Geometry,
	project: (p: [number, number]) => [number, number] | null
): [number, number][][] {
	const ring = (r: Position[]) =>
		r.map((c) => project([c[0], c[1]])).filter((p): p is [number, number] => p !== null);
	if (g.type === 'Polygon') return [ring(g.coordinates[0])];
	if (g.type === 'MultiPolygon') return g.coordinates.map((poly) => ring(poly[0]));
	return [];
}
