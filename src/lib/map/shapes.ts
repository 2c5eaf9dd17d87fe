/**
 * District outlines as SVG paths (no map library): used for the prerendered map thumbnail and as the
 * no-JavaScript fallback. Planar projection with longitude scaled by cos(latitude) (fine at city scale).
 */
import { geoIdentity, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export interface DistrictShape {
	code: string;
	name_zh: string;
	name_en: string;
	d: string;
	/** Label position (centroid) in SVG units. */
	cx: number;
	cy: number;
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

export function districtShapes(
	fc: FeatureCollection<Geometry, DistrictProps>,
	width: number,
	height: number
): DistrictShape[] {
	const lat0 = fc.features.length ? 23 : 0;
	const k = Math.cos((lat0 * Math.PI) / 180);
	const scaled: FeatureCollection<Geometry, DistrictProps> = {
		type: 'FeatureCollection',
		features: fc.features.map((f) => ({ ...f, geometry: scaleLon(f.geometry, k) }))
	};
	const projection = geoIdentity().reflectY(true).fitSize([width, height], scaled);
	const path = geoPath(projection);
	const raw = geoPath();
	return scaled.features.map((f: Feature<Geometry, DistrictProps>) => {
		const [cx, cy] = path.centroid(f);
		const [x, y] = raw.centroid(f);
		return {
			code: String(f.properties.district_code),
			name_zh: f.properties.name_zh,
			name_en: f.properties.name_en,
			d: path(f) ?? '',
			cx: Math.round(cx * 10) / 10,
			cy: Math.round(cy * 10) / 10,
			lon: Math.round((x / k) * 1e4) / 1e4,
			lat: Math.round(y * 1e4) / 1e4
		};
	});
}
