/** The region's district outlines (data/reference/<code>/districts.geojson, from `npm run data:reference`). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import type { DistrictProps } from '../map/shapes';

export function districtsGeojsonPath(region: string): string {
	return path.resolve('data/reference', region, 'districts.geojson');
}

export function readDistrictsGeojson(region: string): FeatureCollection<Geometry, DistrictProps> {
	const file = districtsGeojsonPath(region);
	if (!existsSync(file)) throw new Error(`${file} is missing: run npm run data:reference`);
	return JSON.parse(readFileSync(file, 'utf8'));
}
