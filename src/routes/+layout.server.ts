import { siteData } from '$lib/server/layout-data';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async () => ({ site: await siteData() });
