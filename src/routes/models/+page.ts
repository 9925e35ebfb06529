import { asset } from '$app/paths';
import { fetchCatalog } from '$lib/catalog/catalog';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => ({
	catalog: await fetchCatalog(fetch, asset('/models/catalog.json'))
});
