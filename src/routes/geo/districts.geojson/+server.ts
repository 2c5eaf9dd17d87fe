import { siteConfig } from '$lib/config';
import { readDistrictsGeojson } from '$lib/server/geo';

export const prerender = true;
export const trailingSlash = 'never';

/** The district outlines copied into the build at /geo/districts.geojson (used by the map page). */
export const GET = () =>
	new Response(JSON.stringify(readDistrictsGeojson(siteConfig.region)), {
		headers: { 'content-type': 'application/geo+json' }
	});
