/**
 * MapLibre adapter (browser only; MapLibre is imported dynamically). Our own style: a background and the
 * district GeoJSON — no external tiles, fonts or glyphs, no symbol layers. An optional basemap style URL
 * from data/config.json is used as the base when set.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { DistrictProps } from './shapes';

export interface StationPoint {
	code: string;
	lon: number;
	lat: number;
	count: number;
	label: string;
}

export interface MapOptions {
	container: HTMLElement;
	geojson: FeatureCollection<Geometry, DistrictProps>;
	center: [number, number];
	zoom: number;
	basemapStyleUrl?: string | null;
	onDistrictClick?: (code: string) => void;
	tooltip?: (code: string) => string;
}

type MapLibre = typeof import('maplibre-gl');
type MapInstance = import('maplibre-gl').Map;

export class DistrictMap {
	#map: MapInstance;
	#popup: import('maplibre-gl').Popup;
	#colors: Record<string, string> = {};
	/** The station markers' places and labels as last given to the source (their counts are feature state). */
	#stationPlaces = '';
	#stationCounts: Record<string, number> = {};

	private constructor(lib: MapLibre, map: MapInstance) {
		this.#map = map;
		this.#popup = new lib.Popup({ closeButton: false, closeOnClick: false });
	}

	static async create(o: MapOptions): Promise<DistrictMap> {
		const [lib, worker] = await Promise.all([
			import('maplibre-gl'),
			import('maplibre-gl/dist/maplibre-gl-worker.mjs?url'),
			import('maplibre-gl/dist/maplibre-gl.css')
		]);
		lib.setWorkerUrl(worker.default);
		const style: import('maplibre-gl').StyleSpecification = o.basemapStyleUrl
			? (undefined as never)
			: {
					version: 8,
					sources: {},
					layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } }]
				};
		const map = new lib.Map({
			container: o.container,
			style: o.basemapStyleUrl ?? style,
			center: o.center,
			zoom: o.zoom,
			attributionControl: false,
			dragRotate: false,
			pitchWithRotate: false,
			cooperativeGestures: false
		});
		map.touchZoomRotate.disableRotation();
		map.addControl(new lib.NavigationControl({ showCompass: false }), 'top-right');
		const m = new DistrictMap(lib, map);
		await new Promise<void>((resolve) => map.on('load', () => resolve()));
		map.addSource('districts', { type: 'geojson', data: o.geojson, promoteId: 'district_code' });
		map.addSource('stations', {
			type: 'geojson',
			data: { type: 'FeatureCollection', features: [] },
			promoteId: 'code'
		});
		map.addLayer({
			id: 'district-fill',
			type: 'fill',
			source: 'districts',
			paint: { 'fill-color': ['coalesce', ['feature-state', 'color'], '#e0e0e0'], 'fill-opacity': 0.9 }
		});
		map.addLayer({
			id: 'district-line',
			type: 'line',
			source: 'districts',
			paint: {
				'line-color': ['case', ['boolean', ['feature-state', 'hover'], false], '#bf4b00', '#ffffff'],
				'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 3, 1.2]
			}
		});
		map.addLayer({
			id: 'stations',
			type: 'circle',
			source: 'stations',
			paint: {
				'circle-color': '#b42318',
				'circle-opacity': 0.8,
				'circle-stroke-color': '#fff',
				'circle-stroke-width': 1,
				// The count is feature state: a new period changes it in the same frame as the colours (new GeoJSON
				// data would be parsed in MapLibre's worker and drawn in a frame of its own).
				'circle-radius': [
					'interpolate',
					['linear'],
					['sqrt', ['coalesce', ['feature-state', 'count'], 0]],
					0,
					2,
					10,
					18
				]
			}
		});
		const bounds = new lib.LngLatBounds();
		for (const f of o.geojson.features) {
			const g = f.geometry;
			const rings =
				g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : [];
			for (const r of rings) for (const c of r) bounds.extend([c[0], c[1]]);
		}
		if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 12, animate: false });
		let hovered: string | null = null;
		map.on('mousemove', 'district-fill', (e) => {
			const code = String(e.features?.[0]?.properties?.district_code ?? '');
			if (!code) return;
			if (hovered && hovered !== code)
				map.setFeatureState({ source: 'districts', id: hovered }, { hover: false });
			hovered = code;
			map.setFeatureState({ source: 'districts', id: code }, { hover: true });
			map.getCanvas().style.cursor = 'pointer';
			if (o.tooltip) m.#popup.setLngLat(e.lngLat).setText(o.tooltip(code)).addTo(map);
		});
		map.on('mouseleave', 'district-fill', () => {
			if (hovered) map.setFeatureState({ source: 'districts', id: hovered }, { hover: false });
			hovered = null;
			map.getCanvas().style.cursor = '';
			m.#popup.remove();
		});
		map.on('click', 'district-fill', (e) => {
			const code = String(e.features?.[0]?.properties?.district_code ?? '');
			if (code && o.onDistrictClick) o.onDistrictClick(code);
		});
		return m;
	}

	/** Colour each district (code → CSS colour); the map is drawn again only when a colour changed. */
	setColors(colors: Record<string, string>): void {
		for (const code of Object.keys({ ...this.#colors, ...colors }))
			if (this.#colors[code] !== colors[code])
				this.#map.setFeatureState({ source: 'districts', id: code }, { color: colors[code] ?? null });
		this.#colors = colors;
	}

	/**
	 * One marker per point, sized by its count. The source's data is replaced only when the places or labels change
	 * (the first time, and with the language); counts are set as feature state, only those that changed.
	 */
	setStations(points: StationPoint[], visible: boolean): void {
		const places = JSON.stringify(points.map((p) => [p.code, p.lon, p.lat, p.label]));
		if (places !== this.#stationPlaces) {
			const src = this.#map.getSource('stations') as import('maplibre-gl').GeoJSONSource | undefined;
			src?.setData({
				type: 'FeatureCollection',
				features: points.map((p) => ({
					type: 'Feature',
					properties: { code: p.code, label: p.label },
					geometry: { type: 'Point', coordinates: [p.lon, p.lat] }
				}))
			});
			this.#stationPlaces = places;
			this.#stationCounts = {};
		}
		const counts: Record<string, number> = {};
		for (const p of points) {
			counts[p.code] = p.count;
			if (this.#stationCounts[p.code] !== p.count)
				this.#map.setFeatureState({ source: 'stations', id: p.code }, { count: p.count });
		}
		this.#stationCounts = counts;
		this.#map.setLayoutProperty('stations', 'visibility', visible ? 'visible' : 'none');
	}

	resize(): void {
		this.#map.resize();
	}

	destroy(): void {
		this.#popup.remove();
		this.#map.remove();
	}
}
