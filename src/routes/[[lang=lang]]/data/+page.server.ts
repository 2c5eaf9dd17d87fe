import { releaseCatalog } from '$lib/server/research';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => [{}, { lang: 'en' }];

export const load: PageServerLoad = () => ({ releases: releaseCatalog() });
